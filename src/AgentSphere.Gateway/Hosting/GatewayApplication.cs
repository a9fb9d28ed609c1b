using AgentSphere.Gateway.Management;
using AgentSphere.Gateway.Configuration;
using AgentSphere.Gateway.Demo;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace AgentSphere.Gateway.Hosting;

/// <summary>Builds, starts and runs the gateway from command-line arguments; the entry point of <c>Program</c> and of the tests.</summary>
public static class GatewayApplication
{
    /// <summary>Exit code when configuration stops start-up.</summary>
    public const int ConfigurationErrorExitCode = 2;

    private const string DemoSwitch = "--demo";

    // Joins the messages of one failure; each is annotated with its key's source on its own.
    private const string MessageSeparator = "\n";

    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--latency-scale"] = "Gateway:Demo:LatencyScale",
        ["--management-urls"] = "Gateway:ManagementUrls",
    };

    /// <summary>Starts the gateway and runs it until shutdown; a configuration problem prints one clear message and returns <see cref="ConfigurationErrorExitCode"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        GatewayInstance instance;
        try
        {
            instance = await StartAsync(args, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (DescribeStartupFailure(ex) is { } message)
        {
            await error.WriteLineAsync($"AgentSphere Gateway did not start: {message}").ConfigureAwait(false);
            return ConfigurationErrorExitCode;
        }

        await using (instance.ConfigureAwait(false))
        {
            await output.WriteAsync(instance.DescribeStartup()).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await instance.App.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Builds and starts the gateway (and, with <c>--demo</c>, its simulated fleet); the caller disposes it.</summary>
    public static Task<GatewayInstance> StartAsync(string[] args, CancellationToken cancellationToken = default) =>
        StartAsync(args, configureServices: null, cancellationToken);

    /// <summary>As <see cref="StartAsync(string[], CancellationToken)"/>, with a last say over the services (tests swap a clock).</summary>
    internal static async Task<GatewayInstance> StartAsync(string[] args, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var demo = args.Any(a => string.Equals(a, DemoSwitch, StringComparison.OrdinalIgnoreCase));
        var remaining = args.Where(a => !string.Equals(a, DemoSwitch, StringComparison.OrdinalIgnoreCase)).ToArray();

        // --urls names the public listeners, which the gateway binds itself beside the management listeners; left to
        // the host it would become a server address that Kestrel warns it is overriding.
        var (urls, hostArgs) = ExtractUrls(remaining);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs });
        try
        {
            return await StartAsync(builder, hostArgs, urls, demo, configureServices, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (DescribeStartupFailure(ex) is { } message)
        {
            // Every message that starts with a key is told where that key's value came from.
            var described = string.Join(" ", message.Split(MessageSeparator, StringSplitOptions.None)
                .Select(m => ConfigurationOrigins.Annotate(builder.Configuration, m)));
            throw new GatewayConfigurationException(described, ex);
        }
    }

    private static async Task<GatewayInstance> StartAsync(
        WebApplicationBuilder builder, string[] hostArgs, string? urls, bool demo, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        var yarpStatus = AddConfigurationSources(builder, hostArgs, urls, demo, out var generatedAdminToken);

        // A typo in a key (Admission:Global:MaxConcurency) would otherwise be ignored, and its default silently used.
        if (GatewayConfigurationSections.FindUnknownKeys(builder.Configuration) is { Count: > 0 } unknown)
        {
            throw new GatewayConfigurationException(string.Join(MessageSeparator, unknown));
        }

        DemoFleet? fleet = null;
        var gatewayOptions = GatewayBuilderExtensions.ReadGatewayOptions(builder.Configuration);
        if (gatewayOptions.Demo.Enabled)
        {
            fleet = await DemoFleet.StartAsync(gatewayOptions.Demo, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }

        WebApplication? app = null;
        try
        {
            builder.AddAgentSphereGateway(yarpStatus, fleet);
            configureServices?.Invoke(builder.Services);
            app = builder.Build();

            // YARP loads its configuration while the proxy is mapped, before ValidateOnStart would run: validate first,
            // so a bad value is reported as itself rather than as a proxy configuration failure.
            _ = app.Services.GetRequiredService<IOptions<AgentSphereOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;

            // From now on an edit of yarp.json is accepted only if every option still validates.
            yarpStatus.CandidateValidator = new ReloadCandidateValidator(builder.Configuration, app.Services, yarpStatus.Path).Validate;
            app.MapAgentSphereGateway();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new GatewayInstance(app, fleet, yarpStatus, generatedAdminToken);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            if (fleet is not null)
            {
                await fleet.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private static (string? Urls, string[] Others) ExtractUrls(string[] args)
    {
        string? urls = null;
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (string.Equals(args[i], "--urls", StringComparison.OrdinalIgnoreCase) && i + 1 < args.Length)
            {
                urls = args[++i];
            }
            else if (args[i].StartsWith("--urls=", StringComparison.OrdinalIgnoreCase))
            {
                urls = args[i]["--urls=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (urls, [.. rest]);
    }

    private static ConfigFileStatus AddConfigurationSources(WebApplicationBuilder builder, string[] args, string? urlsArgument, bool demo, out string? generatedAdminToken)
    {
        generatedAdminToken = null;
        var configuration = builder.Configuration;

        // Quiet defaults first, so every file and variable below can override them.
        configuration.Sources.Insert(0, new DescribedMemoryConfigurationSource(
            new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
                ["Logging:LogLevel:Yarp"] = "Warning",

                // Its only logs are per-request Information and Debug lines, yet while it may log at all the host starts an
                // Activity per request, and the HTTP client another per forwarded call, with their ids, tags and trace
                // header: over a tenth of what a proxied request allocates. A client's own traceparent still passes through to the
                // backend, and a registered tracer (an ActivityListener, such as OpenTelemetry's) brings the Activities back.
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
            },
            _ => "the built-in default"));

        // Files go before the environment and the command line (which CreateBuilder added), so the most specific
        // source wins: defaults < config/gateway.json < yarp.json < environment < AGENTSPHERE_* < command line.
        var contentRoot = builder.Environment.ContentRootPath;
        var gatewayFile = ResolveFile(contentRoot, Path.Combine("config", "gateway.json"));
        if (gatewayFile is not null)
        {
            // The framework's own message for a syntax error names neither the line nor, on its own, a configuration problem.
            JsonConfigurationFile.EnsureWellFormed(Path.GetFullPath(gatewayFile));
            var gatewaySource = new JsonConfigurationSource { Path = gatewayFile, Optional = true, ReloadOnChange = false };
            gatewaySource.ResolveFileProvider();
            InsertBefore<EnvironmentVariablesConfigurationSource>(configuration, gatewaySource);
        }

        InsertBefore<CommandLineConfigurationSource>(configuration, new DescribedMemoryConfigurationSource(
            SeedEnvironmentVariables.Read(Environment.GetEnvironmentVariables()),
            key => $"environment variable {SeedEnvironmentVariables.VariableOf(key)}"));

        var yarpPath = configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.YarpConfigPath)}"] ?? "yarp.json";
        var yarpFile = ResolveFile(contentRoot, yarpPath)
            ?? throw new GatewayConfigurationException(
                $"Gateway:YarpConfigPath: '{yarpPath}' was found neither in {contentRoot} or a folder above it nor in {AppContext.BaseDirectory}.");
        var yarpStatus = new ConfigFileStatus(yarpFile);
        InsertBefore<EnvironmentVariablesConfigurationSource>(configuration, new LastGoodJsonConfigurationSource(yarpFile, yarpStatus, TimeProvider.System));

        // Again with the gateway's switch mappings (--latency-scale, --management-urls); still last, so it still wins.
        configuration.AddCommandLine(args, SwitchMappings);

        var overrides = new Dictionary<string, string?>();
        if ((urlsArgument ?? configuration["urls"]) is { Length: > 0 } urls)
        {
            overrides[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.PublicUrls)}"] = urls;
        }

        if (demo)
        {
            overrides["Gateway:Demo:Enabled"] = "true";

            // The demo opens the dashboard with a token of its own, printed at start-up, unless one is configured.
            if (string.IsNullOrEmpty(configuration[$"{ManagementOptions.SectionName}:{nameof(ManagementOptions.AdminToken)}"]))
            {
                generatedAdminToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
                overrides[$"{ManagementOptions.SectionName}:{nameof(ManagementOptions.AdminToken)}"] = generatedAdminToken;
            }
        }

        ((IConfigurationBuilder)configuration).Add(new DescribedMemoryConfigurationSource(
            overrides,
            key => key.StartsWith("Gateway:PublicUrls", StringComparison.OrdinalIgnoreCase) ? "the command line (--urls)" : "the command line (--demo)"));
        return yarpStatus;
    }

    private static void InsertBefore<TSource>(IConfigurationBuilder configuration, IConfigurationSource source)
        where TSource : IConfigurationSource
    {
        var sources = configuration.Sources;
        var index = 0;
        while (index < sources.Count && sources[index] is not TSource)
        {
            index++;
        }

        sources.Insert(index, source);
    }

    // Relative paths: the content root, then its ancestors (dotnet run makes the project folder the content root, and
    // the repository's yarp.json, the one operators edit, sits above it), then the binaries' folder.
    private static string? ResolveFile(string contentRoot, string path)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : null;
        }

        for (var directory = new DirectoryInfo(contentRoot); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var beside = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(beside) ? Path.GetFullPath(beside) : null;
    }

    /// <summary>A one-paragraph reason for a start-up failure caused by configuration or the environment, or null for a bug.</summary>
    internal static string? DescribeStartupFailure(Exception exception)
    {
        if (!IsConfigurationFailure(exception))
        {
            return null;
        }

        var messages = new List<string>();
        Collect(exception, messages);
        return string.Join(MessageSeparator, messages.Distinct(StringComparer.Ordinal));

        static bool IsConfigurationFailure(Exception e) => e switch
        {
            GatewayConfigurationException or OptionsValidationException or IOException => true,

            // Redis:Required is true and Redis cannot be reached: the message names the key and never the password.
            StackExchange.Redis.RedisConnectionException when e.Message.Contains("Redis:Required", StringComparison.Ordinal) => true,
            AggregateException aggregate => aggregate.InnerExceptions.Any(IsConfigurationFailure),
            InvalidOperationException when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => true,

            // YARP: "Unable to load or apply the proxy configuration." with the validation errors inside.
            InvalidOperationException { InnerException: not null } => true,
            _ => false,
        };

        static void Collect(Exception e, List<string> messages)
        {
            switch (e)
            {
                case OptionsValidationException validation:
                    messages.AddRange(validation.Failures);
                    return;
                case GatewayConfigurationException:
                    // Already complete: its causes are in its message.
                    messages.Add(e.Message);
                    return;
                case AggregateException aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        Collect(inner, messages);
                    }

                    return;
                default:
                    messages.Add(e.Message);
                    if (e.InnerException is { } next)
                    {
                        Collect(next, messages);
                    }

                    return;
            }
        }
    }
}
