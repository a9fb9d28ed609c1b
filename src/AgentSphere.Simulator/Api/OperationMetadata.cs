
namespace AgentSphere.Simulator.Api;

/// <summary>Endpoint metadata marking an API endpoint and naming its operation.</summary>
/// <param name="Operation">The operation name.</param>
/// <param name="FilteredOperation">For the list endpoints: the operation when a <c>metadata</c> filter is given.</param>
internal sealed record OperationMetadata(string Operation, string? FilteredOperation = null)
{
    public string Resolve(HttpRequest request) =>
        FilteredOperation is not null && !string.IsNullOrEmpty(request.Query["metadata"].ToString()) ? FilteredOperation : Operation;
}
