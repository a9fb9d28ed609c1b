using System.Globalization;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Metrics;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Management;

/// <summary><c>GET /admin/capacity?sandboxes=N</c>: the seed's ResourceCalculator for this machine.</summary>
internal static class CapacityEndpoint
{
    public const int MaxSandboxes = 100_000;

    public static IResult Get(HttpContext context, IOptions<AdmissionOptions> admission)
    {
        var sandboxes = admission.Value.Global.MaxConcurrency;
        var raw = context.Request.Query["sandboxes"];
        if (raw.Count > 0)
        {
            if (raw.Count > 1 || !int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out sandboxes) || sandboxes > MaxSandboxes)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid query parameter",
                    detail: $"sandboxes must be one whole number from 0 to {MaxSandboxes}; got '{raw}'.",
                    extensions: new Dictionary<string, object?> { ["parameter"] = "sandboxes" });
            }
        }

        return TypedResults.Ok(CapacityCalculator.Estimate(sandboxes, MachineResourcesProbe.Read()));
    }
}
