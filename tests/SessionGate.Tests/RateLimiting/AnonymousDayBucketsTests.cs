using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Redis;

namespace SessionGate.Tests.RateLimiting;

public sealed class AnonymousDayBucketsTests
{
    private static readonly AnonymousDayBuckets Buckets = new(new AnonymousLimits { DailyQuotaBuckets = 1 << 20 }, "sessiongate:");

    [Fact]
    public void BucketOf_AccountPartition_IsNull() =>
        Assert.Null(Buckets.BucketOf("acct:kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"));

    [Theory]
    [InlineData("ip:203.0.113.7", "ip:203.0.113.200")]
    [InlineData("ip:2001:db8:1:2::1", "ip:2001:db8:1:ffff::9")]
    [InlineData("ip:2001:db8:1::/64", "ip:2001:db8:1:0:1::5")]          // a /64 partition text is masked to the /48 as well
    [InlineData("ip:::ffff:203.0.113.7", "ip:203.0.113.9")]             // IPv4-mapped IPv6 is its IPv4 address
    public void BucketOf_SamePrefix_SameBucket(string a, string b) =>
        Assert.Equal(Buckets.BucketOf(a), Buckets.BucketOf(b));

    [Fact]
    public void BucketOf_ManyPrefixes_SpreadAndNeverMoreThanTheBucketCount()
    {
        var small = new AnonymousDayBuckets(new AnonymousLimits { DailyQuotaBuckets = 16 }, "sessiongate:");
        var seen = new HashSet<string>();
        var prefixesOfWide = new HashSet<string>();
        for (int i = 0; i < 4096; i++)
        {
            seen.Add(small.BucketOf($"ip:10.{i / 256}.{i % 256}.1")!);
            prefixesOfWide.Add(Buckets.BucketOf($"ip:10.{i / 256}.{i % 256}.1")!);
        }

        Assert.Equal(16, seen.Count);
        Assert.InRange(prefixesOfWide.Count, 4080, 4096);   // 2^20 buckets: almost no collisions among 4,096 prefixes
    }

    [Fact]
    public void BucketOf_OtherKeyPrefix_OtherAssignment()
    {
        var other = new AnonymousDayBuckets(new AnonymousLimits { DailyQuotaBuckets = 1 << 20 }, "other:");
        int differ = Enumerable.Range(0, 64).Count(i => other.BucketOf($"ip:10.0.{i}.1") != Buckets.BucketOf($"ip:10.0.{i}.1"));

        Assert.True(differ > 60, $"{differ} of 64 differ");
    }

    [Fact]
    public void BucketOf_NotAnAddress_StillBucketed() =>
        Assert.StartsWith("anon:", Buckets.BucketOf("ip:not-an-address"), StringComparison.Ordinal);
}
