using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Tiers;

namespace SessionGate.Tests.RateLimiting.Tiers;

public sealed class TierPolicyValidationTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(TierPolicyValidation.Validate(new RateLimitingOptions()));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Validate_NearLimitRatioOutOfRange_NamesTheKey(double ratio)
    {
        string error = Assert.Single(TierPolicyValidation.Validate(new RateLimitingOptions { NearLimitRatio = ratio }));
        Assert.StartsWith("SessionGate:RateLimiting:NearLimitRatio must be greater than 0 and at most 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_GlobalShadow_PutsEveryTierAndAnonymousInShadowMode()
    {
        var catalog = new TierCatalog(new RateLimitingOptions { Shadow = true });
        Assert.True(catalog.Anonymous.Shadow);
        Assert.All(catalog.Tiers, t => Assert.True(catalog.TryGetTier(t.Name, out QuotaPolicy? p) && p.Shadow));

        var perTier = new TierCatalog(new RateLimitingOptions { Tiers = [new TierDefinition { Name = "a", PermitsPerMinute = 1, Burst = 1, Shadow = true }, new TierDefinition { Name = "b", MinBalance = 5, PermitsPerMinute = 1, Burst = 1 }] });
        Assert.True(perTier.TryGetTier("a", out QuotaPolicy? a) && a.Shadow);
        Assert.True(perTier.TryGetTier("b", out QuotaPolicy? b) && !b.Shadow);
        Assert.False(perTier.Anonymous.Shadow);
    }

    [Fact]
    public void Validate_DesignTableWithDailyQuota_NoErrors()
    {
        var options = new RateLimitingOptions
        {
            Tiers =
            [
                new TierDefinition { Name = "whale", MinBalance = 100_000, PermitsPerMinute = 6000, Burst = 1000 },
                new TierDefinition { Name = "free", MinBalance = 0, PermitsPerMinute = 60, Burst = 20, DailyQuota = 10_000 },
                new TierDefinition { Name = "holder", MinBalance = 1000.5m, PermitsPerMinute = 600, Burst = 100 },
            ],
        };

        Assert.Empty(TierPolicyValidation.Validate(options));
    }

    [Fact]
    public void Validate_EveryRuleBroken_ReportsEveryKeyAtOnce()
    {
        var options = new RateLimitingOptions
        {
            Anonymous = new AnonymousLimits { PermitsPerMinute = 0, Burst = -1, DailyQuota = 0 },
            Tiers =
            [
                new TierDefinition { Name = "free", MinBalance = 0, PermitsPerMinute = 60, Burst = 20 },
                new TierDefinition { Name = "", MinBalance = -5, PermitsPerMinute = 0, Burst = 0, DailyQuota = 0 },
                new TierDefinition { Name = "FREE", MinBalance = 0, PermitsPerMinute = 1, Burst = 1 },
                new TierDefinition { Name = "bad\"name", MinBalance = 7, PermitsPerMinute = 1, Burst = 1 },
                null!,
            ],
            BalanceCacheTtl = TimeSpan.Zero,
            BalanceMaxStaleness = TimeSpan.FromSeconds(-1),
        };

        IReadOnlyList<string> errors = TierPolicyValidation.Validate(options, "App:Limits");

        string[] expected =
        [
            "App:Limits:Tiers:1:Name must not be empty.",
            "App:Limits:Tiers:1:MinBalance must not be negative",
            "App:Limits:Tiers:1:PermitsPerMinute must be at least 1",
            "App:Limits:Tiers:1:Burst must be at least 1",
            "App:Limits:Tiers:1:DailyQuota must be at least 1 when set",
            "App:Limits:Tiers:2:Name \"FREE\" is also the name of App:Limits:Tiers:0",
            "App:Limits:Tiers:2:MinBalance 0 is also the MinBalance of App:Limits:Tiers:0",
            "App:Limits:Tiers:3:Name must be at most 64 printable ASCII characters",
            "App:Limits:Tiers:4 must be a tier",
            "App:Limits:Anonymous:PermitsPerMinute must be at least 1",
            "App:Limits:Anonymous:Burst must be at least 1",
            "App:Limits:Anonymous:DailyQuota must be at least 1 when set",
            "App:Limits:BalanceCacheTtl must be a positive time span",
            "App:Limits:BalanceMaxStaleness must be between",
        ];
        Assert.Equal(expected.Length, errors.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i], errors[i], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_DefaultSection_KeysStartWithSessionGateRateLimiting()
    {
        var options = new RateLimitingOptions
        {
            Tiers =
            [
                new TierDefinition { Name = "a", MinBalance = 0, PermitsPerMinute = 1, Burst = 1 },
                new TierDefinition { Name = "b", MinBalance = 1, PermitsPerMinute = 1, Burst = 0 },
            ],
        };

        string error = Assert.Single(TierPolicyValidation.Validate(options));

        Assert.StartsWith("SessionGate:RateLimiting:Tiers:1:Burst must be at least 1, not 0.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NameTooLong_NamesTheKey()
    {
        var options = new RateLimitingOptions { Tiers = [new TierDefinition { Name = new string('t', 65), PermitsPerMinute = 1, Burst = 1 }] };

        Assert.StartsWith("SessionGate:RateLimiting:Tiers:0:Name", Assert.Single(TierPolicyValidation.Validate(options)), StringComparison.Ordinal);
    }
}
