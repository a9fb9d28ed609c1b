namespace AgentSphere.Policies.Operations;

/// <summary>Endpoint metadata naming the AgentSphere operation of a proxied route, parsed once when the route loads.</summary>
public sealed class OperationMetadata
{
    private static readonly OperationMetadata[] Instances = AgentSphereOperations.All.Select(o => new OperationMetadata(o)).ToArray();

    private OperationMetadata(AgentSphereOperation operation)
    {
        Operation = operation;
        Name = operation.GetName();
    }

    /// <summary>The operation.</summary>
    public AgentSphereOperation Operation { get; }

    /// <summary>The operation's configuration name.</summary>
    public string Name { get; }

    /// <summary>The operation of the route <paramref name="context"/> matched, or <see cref="AgentSphereOperation.Other"/>.</summary>
    public static AgentSphereOperation Of(Microsoft.AspNetCore.Http.HttpContext context) =>
        Microsoft.AspNetCore.Http.EndpointHttpContextExtensions.GetEndpoint(context)?.Metadata.GetMetadata<OperationMetadata>()?.Operation
            ?? AgentSphereOperation.Other;

    /// <summary>The shared instance for <paramref name="operation"/>.</summary>
    public static OperationMetadata For(AgentSphereOperation operation) => Instances[(int)operation];
}
