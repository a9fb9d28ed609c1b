using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentSphere.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway as its own process (<c>dotnet AgentSphere.Gateway.dll</c>, built beside the tests), so its memory and its logs are its
/// own: the abuse suite reads its resident set from /proc and greps everything it printed. Loopback ports chosen by the OS; stopped
/// (the whole process tree) on dispose.
/// </summary>
internal sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GatewayProcess(Process process) => _process = process;

    public Uri PublicUri { get; private set; } = null!;

    public Uri ManagementUri { get; private set; } = null!;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The resident set size, from /proc/&lt;pid&gt;/status, in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kilobytes * 1024;
            }
        }

        throw new InvalidOperationException("VmRSS not found for process " + _process.Id);
    }

    /// <summary>Runs the gateway with <paramref name="args"/> and <paramref name="environment"/> until it exits by itself (a start-up that fails); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var info = CreateStartInfo(args);
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"The gateway did not exit within {timeout}. Output:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static ProcessStartInfo CreateStartInfo(IEnumerable<string> args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "AgentSphere.Gateway.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            // The repository root, so config/gateway.json applies as it does for users.
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in (string[])["--urls", "http://127.0.0.1:0", "--Gateway:ManagementUrls=http://127.0.0.1:0", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        return info;
    }

    /// <summary>Starts the gateway with <paramref name="args"/> (plus loopback port-0 listeners) and waits until it prints its URLs.</summary>
    public static async Task<GatewayProcess> StartAsync(IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var info = CreateStartInfo(args);
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var gateway = new GatewayProcess(process);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data, started);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data, started);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
            return gateway;
        }
        catch (TimeoutException)
        {
            var output = gateway.Output;
            await gateway.DisposeAsync();
            throw new InvalidOperationException("The gateway process did not print its URLs in time. Output:\n" + output);
        }
    }

    private void Append(string? line, TaskCompletionSource started)
    {
        if (line is null)
        {
            if (_process.HasExited)
            {
                started.TrySetException(new InvalidOperationException("The gateway process exited. Output:\n" + Output));
            }

            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (PublicUrl().Match(line) is { Success: true } publicUrl)
        {
            PublicUri = new Uri(publicUrl.Groups[1].Value + "/");
        }
        else if (ManagementUrl().Match(line) is { Success: true } managementUrl)
        {
            ManagementUri = new Uri(managementUrl.Groups[1].Value + "/");
            started.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(wait.Token);
        _process.Dispose();
    }

    [GeneratedRegex(@"^\s*Public URL:\s+(\S+)")]
    private static partial Regex PublicUrl();

    [GeneratedRegex(@"^\s*Management URL:\s+(\S+)")]
    private static partial Regex ManagementUrl();
}
