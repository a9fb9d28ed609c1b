using AgentSphere.Gateway.Diagnostics;

namespace AgentSphere.Gateway.Admission;

internal sealed partial class AdmissionMiddleware
{
    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.AdmissionRejected, LogLevel.Debug, "Refused a {Operation} request ({Priority} priority) by {Policy} for caller {CallerId}")]
        public static partial void Rejected(ILogger logger, string operation, string priority, string policy, string callerId);

        [LoggerMessage(GatewayEventIds.AdmissionAbandoned, LogLevel.Debug, "A {Operation} request ({Priority} priority) left while waiting for admission")]
        public static partial void LeftWhileWaiting(ILogger logger, string operation, string priority);
    }
}
