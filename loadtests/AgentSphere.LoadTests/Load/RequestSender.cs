using System.Net.Http.Headers;
using System.Text;
using AgentSphere.LoadTests.Workloads;

namespace AgentSphere.LoadTests.Load;

/// <summary>Sends one workload request and turns whatever happens into a <see cref="RequestOutcome"/>; never throws.</summary>
/// <param name="client">The run's client.</param>
/// <param name="cacheBypass">Send <c>Cache-Control: no-cache</c>, so a caching gateway forwards every read.</param>
internal sealed class RequestSender(HttpClient client, bool cacheBypass = false)
{
    private const string CacheHeader = "X-Cache";

    public async Task<RequestOutcome> SendAsync(WorkloadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var message = new HttpRequestMessage(request.Method, request.Path);
            message.Headers.TryAddWithoutValidation("X-API-Key", request.ApiKey);
            if (cacheBypass)
            {
                message.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            }

            if (request.JsonBody is not null)
            {
                message.Content = new StringContent(request.JsonBody, Encoding.UTF8, "application/json");
            }

            // SendAsync buffers the whole body before returning, so the latency includes reading the response.
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
            var body = request.CaptureBody ? await response.Content.ReadAsStringAsync(CancellationToken.None) : null;
            var hit = response.Headers.TryGetValues(CacheHeader, out var values)
                && values.Any(v => v.StartsWith("HIT", StringComparison.OrdinalIgnoreCase));
            return new RequestOutcome((int)response.StatusCode, null, body, hit);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            return new RequestOutcome(null, "timeout");
        }
        catch (HttpRequestException ex)
        {
            return new RequestOutcome(null, "transport-" + ex.HttpRequestError.ToString().ToLowerInvariant());
        }
#pragma warning disable CA1031 // Any other failure is one failed request, never the end of the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new RequestOutcome(null, "exception-" + ex.GetType().Name);
        }
    }
}
