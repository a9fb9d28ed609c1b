using System.Diagnostics.CodeAnalysis;

namespace AgentSphere.Policies.Operations;

/// <summary>Names of <see cref="AgentSphereOperation"/> as they appear in configuration, route metadata and metric labels.</summary>
public static class AgentSphereOperations
{
    /// <summary>The YARP route metadata key that names a route's operation.</summary>
    public const string MetadataKey = "AgentSphere.Operation";

    private static readonly string[] NamesByValue =
        ["other", "list", "find", "connect", "deploy", "monitor", "cleanup", "keepalive", "lifecycle", "health"];

    /// <summary>Every operation name, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = NamesByValue;

    /// <summary>Every operation, in enum order.</summary>
    public static IReadOnlyList<AgentSphereOperation> All { get; } = Enum.GetValues<AgentSphereOperation>();

    /// <summary>The configuration name of <paramref name="operation"/>, for example <c>keepalive</c>.</summary>
    public static string GetName(this AgentSphereOperation operation)
    {
        var index = (int)operation;
        return (uint)index < (uint)NamesByValue.Length ? NamesByValue[index] : throw new ArgumentOutOfRangeException(nameof(operation));
    }

    /// <summary>Parses a configuration name (case-insensitive).</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out AgentSphereOperation operation)
    {
        for (var i = 0; i < NamesByValue.Length; i++)
        {
            if (string.Equals(NamesByValue[i], name, StringComparison.OrdinalIgnoreCase))
            {
                operation = (AgentSphereOperation)i;
                return true;
            }
        }

        operation = AgentSphereOperation.Other;
        return false;
    }
}
