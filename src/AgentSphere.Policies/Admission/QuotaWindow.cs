namespace AgentSphere.Policies.Admission;

/// <summary>One quota day: from a reset instant to the next, 24 hours later.</summary>
/// <param name="Start">When the window began (a reset instant, UTC).</param>
/// <param name="End">When the window ends and counts reset.</param>
public readonly record struct QuotaWindow(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>A stable, sortable id for the window, for example <c>20261124T0600</c>; used in store keys.</summary>
    public string Id => Start.UtcDateTime.ToString("yyyyMMdd'T'HHmm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The window that contains <paramref name="now"/> when days reset at <paramref name="resetHourUtc"/> o'clock UTC.</summary>
    public static QuotaWindow Containing(DateTimeOffset now, int resetHourUtc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(resetHourUtc);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(resetHourUtc, 23);
        var utc = now.ToUniversalTime();
        var start = new DateTimeOffset(utc.Year, utc.Month, utc.Day, resetHourUtc, 0, 0, TimeSpan.Zero);
        if (start > utc)
        {
            start = start.AddDays(-1);
        }

        return new QuotaWindow(start, start.AddDays(1));
    }
}
