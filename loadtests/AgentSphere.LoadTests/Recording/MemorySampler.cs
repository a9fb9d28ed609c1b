using System.Globalization;

namespace AgentSphere.LoadTests.Recording;

/// <summary>Reads the gateway's working set from its management <c>/metrics</c> once a second.</summary>
/// <remarks>
/// The gauge is <c>agentsphere_gateway_process_working_set_bytes</c> on the open management listener. Without a
/// metrics URL, or when no reading succeeds, the report says memory was not measured rather than showing zeros.
/// </remarks>
internal sealed class MemorySampler : IDisposable
{
    public const string GaugeName = "agentsphere_gateway_process_working_set_bytes";

    private readonly Lock _gate = new();
    private readonly List<MemorySample> _samples = [];
    private readonly HttpClient? _client;
    private readonly Uri? _url;
    private readonly TimeSeries _clock;
    private readonly TimeProvider _time;
    private string? _lastError;

    public MemorySampler(Uri? metricsUrl, TimeSeries clock, TimeProvider time)
    {
        _url = metricsUrl;
        _clock = clock;
        _time = time;
        if (metricsUrl is not null)
        {
            _client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        }
    }

    /// <summary>A metrics URL was given.</summary>
    public bool Enabled => _url is not null;

    /// <summary>Why memory figures are missing, for the report: no URL, or the last failure.</summary>
    public string? Problem
    {
        get
        {
            lock (_gate)
            {
                return _url is null ? "no --metrics URL given"
                    : _samples.Count == 0 ? _lastError ?? "no reading yet"
                    : null;
            }
        }
    }

    public IReadOnlyList<MemorySample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>The latest reading in MB, or null.</summary>
    public double? LatestMegabytes
    {
        get
        {
            lock (_gate)
            {
                return _samples.Count > 0 ? _samples[^1].Bytes / (1024 * 1024) : null;
            }
        }
    }

    /// <summary>Takes one reading now (also called at the boundaries of short phases so they have one).</summary>
    public async Task SampleAsync()
    {
        if (_client is null)
        {
            return;
        }

        try
        {
            var text = await _client.GetStringAsync(_url);
            var seconds = _clock.Elapsed.TotalSeconds;
            if (TryReadGauge(text, GaugeName) is { } bytes)
            {
                lock (_gate)
                {
                    _samples.Add(new MemorySample(Math.Round(seconds, 3), bytes));
                }
            }
            else
            {
                lock (_gate)
                {
                    _lastError = $"{GaugeName} not found at {_url}";
                }
            }
        }
#pragma warning disable CA1031 // A failed scrape is a missing sample, never the end of the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_gate)
            {
                _lastError = $"{_url}: {ex.GetType().Name}: {ex.Message}";
            }
        }
    }

    /// <summary>Samples once a second until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        if (_client is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            do
            {
                await SampleAsync();
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>The value of an unlabelled gauge in Prometheus text format (or its first series), or null.</summary>
    public static double? TryReadGauge(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || line[name.Length] is not (' ' or '{'))
            {
                continue;
            }

            var rest = line[name.Length..];
            if (rest[0] == '{')
            {
                var close = rest.IndexOf('}');
                if (close < 0)
                {
                    continue;
                }

                rest = rest[(close + 1)..];
            }

            rest = rest.Trim();
            var space = rest.IndexOf(' ');
            var value = space < 0 ? rest : rest[..space];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
        }

        return null;
    }

    public void Dispose() => _client?.Dispose();
}
