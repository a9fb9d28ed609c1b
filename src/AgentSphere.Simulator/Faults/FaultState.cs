using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace AgentSphere.Simulator.Faults;

/// <summary>The faults currently injected; readers get an immutable snapshot, writers publish a new one.</summary>
internal sealed class FaultState
{
    private readonly Lock _writeLock = new();
    private SimulatorFaults _current = new();

    /// <summary>The current faults. Treat as read-only: it is shared by every request.</summary>
    public SimulatorFaults Current => Volatile.Read(ref _current);

    /// <summary>A copy of the current faults.</summary>
    public SimulatorFaults Snapshot() => Current.Clone();

    public void Set(SimulatorFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        if (Validate(faults) is { } error)
        {
            throw new ArgumentException(error, nameof(faults));
        }

        Volatile.Write(ref _current, faults.Clone());
    }

    public void Clear() => Volatile.Write(ref _current, new SimulatorFaults());

    /// <summary>Applies the fields present in a JSON object (<c>POST /_sim/faults</c>); fields not given keep their value.</summary>
    public bool TryApply(JsonElement patch, [NotNullWhen(false)] out string? error)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            error = "Faults must be a JSON object";
            return false;
        }

        lock (_writeLock)
        {
            var next = Current.Clone();
            foreach (var property in patch.EnumerateObject())
            {
                error = ApplyField(next, property);
                if (error is not null)
                {
                    return false;
                }
            }

            error = Validate(next);
            if (error is not null)
            {
                return false;
            }

            Volatile.Write(ref _current, next);
            return true;
        }
    }

    private static string? ApplyField(SimulatorFaults target, JsonProperty property)
    {
        var value = property.Value;
        switch (property.Name.ToUpperInvariant())
        {
            case "EXTRALATENCYMS" when value.TryGetInt32(out var extra):
                target.ExtraLatencyMs = extra;
                return null;
            case "LATENCYFACTOR" when value.ValueKind == JsonValueKind.Number:
                target.LatencyFactor = value.GetDouble();
                return null;
            case "ERRORRATE" when value.ValueKind == JsonValueKind.Number:
                target.ErrorRate = value.GetDouble();
                return null;
            case "ERRORSTATUSCODE" when value.TryGetInt32(out var status):
                target.ErrorStatusCode = status;
                return null;
            case "DOWN" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                target.Down = value.GetBoolean();
                return null;
            case "CPU" when value.ValueKind is JsonValueKind.Number or JsonValueKind.Null:
                target.Cpu = value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();
                return null;
            case "MEMORY" when value.ValueKind is JsonValueKind.Number or JsonValueKind.Null:
                target.Memory = value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();
                return null;
            case "EXTRALATENCYMS" or "LATENCYFACTOR" or "ERRORRATE" or "ERRORSTATUSCODE" or "DOWN" or "CPU" or "MEMORY":
                return $"Fault field \"{property.Name}\" has an invalid value: {value.GetRawText()}";
            default:
                return $"Unknown fault field \"{property.Name}\"";
        }
    }

    private static string? Validate(SimulatorFaults faults) => faults switch
    {
        { ExtraLatencyMs: < 0 } => "extraLatencyMs must be >= 0",
        { LatencyFactor: var f } when !(f >= 0) || double.IsInfinity(f) => "latencyFactor must be a finite number >= 0",
        { ErrorRate: var r } when !(r is >= 0 and <= 1) => "errorRate must be between 0 and 1",
        { ErrorStatusCode: < 400 or > 599 } => "errorStatusCode must be between 400 and 599",
        { Cpu: { } c } when !(c is >= 0 and <= 1) => "cpu must be between 0 and 1",
        { Memory: { } m } when !(m is >= 0 and <= 1) => "memory must be between 0 and 1",
        _ => null,
    };
}
