using System.Collections;
using AgentSphere.Gateway.Management;
using AgentSphere.Policies.Admission;
using AgentSphere.Policies.Caching;
using AgentSphere.Policies.LoadBalancing;
using AgentSphere.Policies.Metrics;
using AgentSphere.Policies.Redis;
using AgentSphere.Policies.Resilience;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Configuration;

/// <summary>The gateway's own configuration sections and their options types: checked for unknown keys at start-up and, on a hot reload, bound and validated before the new content is accepted.</summary>
internal static class GatewayConfigurationSections
{
    /// <summary>Each section and the options type bound to it; a nested section (<c>Caching:Store</c>) has its own entry.</summary>
    public static IReadOnlyList<(string Section, Type Type)> All { get; } =
    [
        (GatewayOptions.SectionName, typeof(GatewayOptions)),
        (AgentSphereOptions.SectionName, typeof(AgentSphereOptions)),
        (ManagementOptions.SectionName, typeof(ManagementOptions)),
        (AdmissionOptions.SectionName, typeof(AdmissionOptions)),
        (ScoredLoadBalancingOptions.SectionName, typeof(ScoredLoadBalancingOptions)),
        (RedisOptions.SectionName, typeof(RedisOptions)),
        (ResponseCachingOptions.SectionName, typeof(ResponseCachingOptions)),
        (ResponseCacheStoreOptions.SectionName, typeof(ResponseCacheStoreOptions)),
        (ResilienceOptions.SectionName, typeof(ResilienceOptions)),
        (MetricsOptions.SectionName, typeof(MetricsOptions)),
        (AlertOptions.SectionName, typeof(AlertOptions)),
    ];

    /// <summary>A message for every key inside the gateway's sections that no option reads (a typo would otherwise be silently ignored).</summary>
    public static List<string> FindUnknownKeys(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var sections = All.Select(s => s.Section).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, type) in All)
        {
            Walk(configuration.GetSection(name), type, sections, errors);
        }

        return errors;
    }

    /// <summary>Binds every section of <paramref name="configuration"/> to a fresh options object and runs the registered validators, as <c>IOptionsMonitor</c> would on its next read.</summary>
    public static List<string> Validate(IConfiguration configuration, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(services);
        var errors = FindUnknownKeys(configuration);
        foreach (var (section, type) in All)
        {
            var options = Activator.CreateInstance(type)!;
            try
            {
                configuration.GetSection(section).Bind(options);
            }
            catch (InvalidOperationException ex)
            {
                errors.Add($"{section}: {ex.Message}");
                continue;
            }

            var validatorType = typeof(IValidateOptions<>).MakeGenericType(type);
            var validate = validatorType.GetMethod(nameof(IValidateOptions<object>.Validate))!;
            foreach (var validator in services.GetServices(validatorType))
            {
                if (validate.Invoke(validator, [Options.DefaultName, options]) is ValidateOptionsResult { Failed: true } result)
                {
                    errors.AddRange(result.Failures);
                }
            }
        }

        return errors;
    }

    private static void Walk(IConfigurationSection section, Type type, HashSet<string> sections, List<string> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return;
        }

        if (IsScalar(type))
        {
            errors.Add($"{section.Path} takes a single value, not keys below it (found {children[0].Path}).");
            return;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            foreach (var child in children)
            {
                Walk(child, valueType, sections, errors);
            }

            return;
        }

        if (ElementType(type) is { } elementType)
        {
            foreach (var child in children)
            {
                if (!int.TryParse(child.Key, out _))
                {
                    errors.Add($"{child.Path}: {section.Path} is a list; write it as a JSON array (keys 0, 1, ...).");
                    continue;
                }

                Walk(child, elementType, sections, errors);
            }

            return;
        }

        var properties = type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.CanWrite || !IsScalar(p.PropertyType)))
            .ToList();
        foreach (var child in children)
        {
            if (sections.Contains(child.Path))
            {
                continue;
            }

            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                var allowed = properties.Select(p => p.Name)
                    .Concat(sections.Where(s => s.StartsWith(section.Path + ":", StringComparison.OrdinalIgnoreCase)).Select(s => s[(section.Path.Length + 1)..]));
                errors.Add($"{child.Path} is not a setting; allowed keys in {section.Path}: {string.Join(", ", allowed)}.");
                continue;
            }

            Walk(child, property.PropertyType, sections, errors);
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri);
    }

    private static Type? DictionaryValueType(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            ?.GetGenericArguments()[1];

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return typeof(IEnumerable).IsAssignableFrom(type)
            ? type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0]
            : null;
    }
}
