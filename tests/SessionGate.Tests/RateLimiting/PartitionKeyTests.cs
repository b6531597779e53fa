using SessionGate.RateLimiting.Quotas;

namespace SessionGate.Tests.RateLimiting;

public sealed class PartitionKeyTests
{
    [Theory]
    [InlineData("acct:kira1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn7hzdtn")]
    [InlineData("ip:2001:db8::1")]
    [InlineData("ip:203.0.113.7")]
    public void Normalize_ShortPrintablePartition_Unchanged(string partition)
    {
        Assert.Same(partition, PartitionKey.Normalize(partition));
    }

    [Theory]
    [InlineData("acct:{kira1}")]
    [InlineData("ip:a b")]
    [InlineData("#deadbeef")]
    [InlineData("acct:kíra")]
    public void Normalize_HashTagBreakingOrAmbiguousPartition_Hashed(string partition)
    {
        string key = PartitionKey.Normalize(partition);

        Assert.StartsWith("#", key, StringComparison.Ordinal);
        Assert.Equal(65, key.Length);
        Assert.DoesNotContain('{', key);
    }

    [Fact]
    public void Normalize_HugePartition_BoundedAndDistinct()
    {
        string a = new('a', 1_000_000);
        string b = new string('a', 999_999) + "b";

        Assert.Equal(65, PartitionKey.Normalize(a).Length);
        Assert.NotEqual(PartitionKey.Normalize(a), PartitionKey.Normalize(b));
        Assert.Equal(PartitionKey.Normalize(a), PartitionKey.Normalize(new string('a', 1_000_000)));
    }

    [Fact]
    public void Normalize_LongestPlainAndOneMore_PlainThenHashed()
    {
        string longest = new('x', PartitionKey.MaxPlainLength);

        Assert.Same(longest, PartitionKey.Normalize(longest));
        Assert.StartsWith("#", PartitionKey.Normalize(longest + "x"), StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => PartitionKey.Normalize(""));
    }
}
