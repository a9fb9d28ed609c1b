using AgentSphere.Policies.Caching;

namespace AgentSphere.Policies.Tests.Caching;

public sealed class ResponseCacheStoreOptionsValidatorTests
{
    private readonly ResponseCacheStoreOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_SucceedWithSeedNumbers()
    {
        var options = new ResponseCacheStoreOptions();

        var result = _validator.Validate(null, options);

        Assert.True(result.Succeeded);
        Assert.Equal((1000, 32L << 20, TimeSpan.FromSeconds(60)), (options.L1MaxEntries, options.L1MaxBytes, options.L1MaxLifetime));
        Assert.Equal((5000, 128L << 20, TimeSpan.FromSeconds(300)), (options.L2MaxEntries, options.L2MaxBytes, options.L2MaxLifetime));
        Assert.Equal(256 * 1024, options.MaxEntryBytes);
        Assert.True(options.UseRedis);
    }

    [Theory]
    [InlineData("L1MaxEntries", "Caching:Store:L1MaxEntries must be between 1 and 10000000; got 0.")]
    [InlineData("L2MaxEntries", "Caching:Store:L2MaxEntries must be between 1 and 10000000; got -5.")]
    [InlineData("L1MaxBytes", "Caching:Store:L1MaxBytes must be between 262144 and 68719476736 (at least Caching:Store:MaxEntryBytes); got 100000.")]
    [InlineData("L2MaxBytes", "Caching:Store:L2MaxBytes must be between 262144 and 68719476736 (at least Caching:Store:MaxEntryBytes); got 0.")]
    [InlineData("L1MaxLifetime", "Caching:Store:L1MaxLifetime must be between 00:00:01 and 1.00:00:00 (d.hh:mm:ss); got 00:00:00.5000000.")]
    [InlineData("L2MaxLifetime", "Caching:Store:L2MaxLifetime must be between 00:00:01 and 1.00:00:00 (d.hh:mm:ss); got 2.00:00:00.")]
    [InlineData("MaxEntryBytes", "Caching:Store:MaxEntryBytes must be between 1 and 67108864; got 0.")]
    public void Validate_BadValue_FailsNamingKeyAndRange(string property, string expected)
    {
        var options = new ResponseCacheStoreOptions();
        switch (property)
        {
            case "L1MaxEntries": options.L1MaxEntries = 0; break;
            case "L2MaxEntries": options.L2MaxEntries = -5; break;
            case "L1MaxBytes": options.L1MaxBytes = 100_000; break;
            case "L2MaxBytes": options.L2MaxBytes = 0; break;
            case "L1MaxLifetime": options.L1MaxLifetime = TimeSpan.FromMilliseconds(500); break;
            case "L2MaxLifetime": options.L2MaxLifetime = TimeSpan.FromDays(2); break;
            case "MaxEntryBytes": options.MaxEntryBytes = 0; break;
        }

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal([expected], result.Failures!);
    }

    [Fact]
    public void Validate_SmallEntriesAndTiers_Succeed()
    {
        var options = new ResponseCacheStoreOptions { MaxEntryBytes = 512, L1MaxBytes = 1024, L2MaxBytes = 2048 };

        Assert.True(_validator.Validate(null, options).Succeeded);
    }
}
