using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace AgentSphere.Gateway.Configuration;

/// <summary>Loads a JSON file into configuration and reloads it on change, swapping content only after a successful parse.</summary>
/// <remarks>
/// The framework's JSON file provider empties its data when a reload fails to parse or finds the file missing (as
/// during an editor's rename-over-save), which would hand YARP an empty route table mid-flight. Here a reload parses
/// into a fresh dictionary first and replaces the data only on success; a failure is reported through
/// <see cref="ConfigFileStatus"/> and the running configuration is kept. Content that parses is also checked with
/// <see cref="ConfigFileStatus.CandidateValidator"/> (the gateway's options validators) before it replaces the data.
/// The first load still throws, so a
/// malformed or missing file stops start-up with the file's name.
/// </remarks>
internal sealed class LastGoodJsonConfigurationProvider : ConfigurationProvider, IDisposable
{
    // Editors write in several steps; wait for them to finish before reading (the framework waits 250 ms too).
    private static readonly TimeSpan ReloadDelay = TimeSpan.FromMilliseconds(250);

    private readonly string _path;
    private readonly ConfigFileStatus _status;
    private readonly TimeProvider _timeProvider;
    private readonly PhysicalFileProvider _files;
    private readonly IDisposable _watch;
    private int _reloadPending;

    public LastGoodJsonConfigurationProvider(string path, ConfigFileStatus status, TimeProvider timeProvider)
    {
        _path = path;
        _status = status;
        _timeProvider = timeProvider;
        _files = new PhysicalFileProvider(Path.GetDirectoryName(path)!);
        var fileName = Path.GetFileName(path);
        _watch = ChangeToken.OnChange(() => _files.Watch(fileName), ScheduleReload);
    }

    /// <summary>The absolute path of the watched file.</summary>
    public string FilePath => _path;

    public override void Load()
    {
        // First load: any problem stops start-up.
        Data = Parse(_path);
        _status.ReportLoaded();
    }

    public void Dispose()
    {
        _watch.Dispose();
        _files.Dispose();
    }

    private static Dictionary<string, string?> Parse(string path)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigurationException($"Cannot load '{path}': {Flatten(ex)}", ex);
        }

        // Parsed once more on its own first, for a message with the line and column.
        JsonConfigurationFile.EnsureWellFormed(path, bytes);
        try
        {
            var parsed = new ConfigurationBuilder().AddJsonStream(new MemoryStream(bytes)).Build();
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in parsed.AsEnumerable())
            {
                if (value is not null)
                {
                    data[key] = value;
                }
            }

            return data;
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new GatewayConfigurationException($"Cannot load '{path}': {Flatten(ex)}", ex);
        }
    }

    private static string Flatten(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " " + inner.Message;
        }

        return message;
    }

    private void ScheduleReload()
    {
        if (Interlocked.Exchange(ref _reloadPending, 1) == 1)
        {
            return;
        }

        _ = ReloadAfterDelayAsync();
    }

    private async Task ReloadAfterDelayAsync()
    {
        await Task.Delay(ReloadDelay, _timeProvider).ConfigureAwait(false);
        Volatile.Write(ref _reloadPending, 0);
        Dictionary<string, string?> candidate;
        try
        {
            candidate = Parse(_path);
        }
        catch (GatewayConfigurationException ex)
        {
            _status.ReportRejected(ex.Message, _timeProvider.GetUtcNow());
            return;
        }

        // The file is a configuration source like the others: a gateway option in it that does not validate would make
        // every IOptionsMonitor read throw at request time, so the whole candidate is checked before it is accepted.
        if (_status.CandidateValidator?.Invoke(candidate) is { } error)
        {
            _status.ReportRejected($"'{_path}' was not applied, the previous content stays in force: {error}", _timeProvider.GetUtcNow());
            return;
        }

        Data = candidate;

        _status.ReportLoaded();
        OnReload();
    }
}
