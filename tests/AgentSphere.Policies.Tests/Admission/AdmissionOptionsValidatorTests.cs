using AgentSphere.Policies.Admission;

namespace AgentSphere.Policies.Tests.Admission;

public sealed class AdmissionOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new AdmissionOptionsValidator().Validate(null, new AdmissionOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Admission:Global:MaxConcurrency (env AGENTSPHERE_CONCURRENT_LIMIT) must be between 1 and 100000; got 0.")]
    [InlineData("Admission:Global:ShedThreshold (at most Global:QueueLimit) must be between 0 and 10; got 11.")]
    [InlineData("Admission:Operations:upload: 'upload' is not an operation; allowed: other, list, find, connect, deploy, monitor, cleanup, keepalive, lifecycle, health.")]
    [InlineData("Admission:Operations:deploy must be between 1 and 100000; got -1.")]
    [InlineData("Admission:Caller:MaxConcurrency must be between 1 and 100000; got 0.")]
    [InlineData("Admission:DailyQuota:ResetHourUtc must be between 0 and 23; got 24.")]
    [InlineData("Admission:DailyQuota:Operations:0: 'creates' is not an operation; allowed: other, list, find, connect, deploy, monitor, cleanup, keepalive, lifecycle, health.")]
    [InlineData("Admission:Priorities:Operations:cleanup must be one of critical, high, normal, low; got 'urgent'.")]
    [InlineData("Admission:Priorities:TrustedCallers:0 must be a caller id: 32 lowercase hex characters, the start of the API key's SHA-256 (never the key itself).")]
    [InlineData("Admission:Resources:CpuShedPercent must be between Resources:CpuWaitPercent (70) and 100; got 60.")]
    [InlineData("Admission:Global:QueueTimeout must be between 00:00:00.0010000 and 00:10:00 (hh:mm:ss); got 00:00:00.")]
    public void Validate_BadValue_FailsNamingTheKeyAndTheAllowedValues(string expected)
    {
        var options = new AdmissionOptions();
        options.Global.MaxConcurrency = 0;
        options.Global.QueueLimit = 10;
        options.Global.ShedThreshold = 11;
        options.Global.QueueTimeout = TimeSpan.Zero;
        options.Operations["upload"] = 5;
        options.Operations["deploy"] = -1;
        options.Caller.MaxConcurrency = 0;
        options.DailyQuota.ResetHourUtc = 24;
        options.DailyQuota.Operations = ["creates"];
        options.Priorities.Operations["cleanup"] = "urgent";
        options.Priorities.TrustedCallers = ["sk_live_raw_api_key"];
        options.Resources.CpuShedPercent = 60;

        var result = new AdmissionOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.Failures!);
    }
}
