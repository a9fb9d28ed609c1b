using AgentSphere.Policies.Admission;

namespace AgentSphere.Policies.Tests.Admission;

public sealed class QuotaWindowTests
{
    [Theory]
    [InlineData("2026-11-24T10:00:00Z", 0, "2026-11-24T00:00:00Z")]
    [InlineData("2026-11-24T10:00:00Z", 6, "2026-11-24T06:00:00Z")]
    [InlineData("2026-11-24T05:59:59Z", 6, "2026-11-23T06:00:00Z")]
    [InlineData("2026-11-24T06:00:00Z", 6, "2026-11-24T06:00:00Z")]
    [InlineData("2026-11-24T10:00:00+08:00", 0, "2026-11-24T00:00:00Z")]
    [InlineData("2026-12-31T23:30:00Z", 23, "2026-12-31T23:00:00Z")]
    public void Containing_AnInstant_StartsAtTheLatestResetAndLastsADay(string now, int resetHour, string start)
    {
        var window = QuotaWindow.Containing(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), resetHour);

        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), window.Start);
        Assert.Equal(window.Start.AddDays(1), window.End);
    }

    [Fact]
    public void Id_TwoWindows_DifferAndSortByTime()
    {
        var first = QuotaWindow.Containing(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), 6);
        var next = QuotaWindow.Containing(first.End, 6);

        Assert.Equal("20261124T0600", first.Id);
        Assert.True(string.CompareOrdinal(first.Id, next.Id) < 0);
    }

    [Fact]
    public void Containing_ResetHourOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QuotaWindow.Containing(DateTimeOffset.UnixEpoch, 24));
    }
}
