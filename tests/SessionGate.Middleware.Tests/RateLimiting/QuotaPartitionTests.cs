using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting;

namespace SessionGate.Middleware.Tests.RateLimiting;

/// <summary>The partition's equality is the value equality ASP.NET Core's partitioned limiter relies on.</summary>
public sealed class QuotaPartitionTests
{
    private static QuotaPartition Partition(QuotaPolicy policy, int cost = 1, string? route = "r") =>
        new("acct:kira1abc", policy, cost) { Route = route };

    [Fact]
    public void Equals_EqualValuesInDistinctPolicyInstances_AreEqualWithOneHash()
    {
        QuotaPartition a = Partition(new QuotaPolicy("holder", 60, 10, 1_000));
        QuotaPartition b = Partition(new QuotaPolicy("holder", 60, 10, 1_000));

        Assert.Equal(a, b);
        Assert.True(((object)a).Equals(b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_AnyFieldDiffers_AreNotEqual()
    {
        var policy = new QuotaPolicy("holder", 60, 10);
        QuotaPartition a = Partition(policy);

        Assert.NotEqual(a, Partition(policy, cost: 2));
        Assert.NotEqual(a, Partition(policy, route: "other"));
        Assert.NotEqual(a, Partition(policy, route: null));
        Assert.NotEqual(a, Partition(policy with { Shadow = true }));
        Assert.NotEqual(a, Partition(policy with { Burst = 11 }));
        Assert.NotEqual(a, a with { Key = "acct:kira1abd" });
    }
}
