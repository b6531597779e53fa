using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.Tests.Storage;

/// <summary>How the usage flushes' increments are cut into script calls (the layout <see cref="HashIncrementScript"/> reads).</summary>
public sealed class HashIncrementWriterTests
{
    private static readonly RedisValue Ttl = "180";

    [Fact]
    public void Chunks_SmallHashes_OneCallWithEveryKeyFieldCountsAndPairs()
    {
        var first = new HashIncrements("k1");
        first.Add("r", 3);
        first.Add("x:kira1alice", 1);
        var second = new HashIncrements("k2");
        second.Add("r", 0);

        (RedisKey[] keys, RedisValue[] arguments) = Assert.Single(HashIncrementWriter.Chunks([first, second], Ttl));

        Assert.Equal(["k1", "k2"], keys.Select(k => (string?)k));
        Assert.Equal(["180", "2", "r", "3", "x:kira1alice", "1", "1", "r", "0"], arguments.Select(a => (string?)a));
    }

    [Fact]
    public void Chunks_ManyFields_AtMostMaxFieldsPerCallAndAKeySplitAcrossCalls()
    {
        const int Max = HashIncrementWriter.MaxFieldsPerCall;
        var big = new HashIncrements("big");
        for (int i = 0; i < (2 * Max) + (Max / 2); i++)
        {
            big.Add("r:" + i, i + 1);
        }

        var small = new HashIncrements("small");
        small.Add("r", 7);
        var empty = new HashIncrements("empty");

        var calls = HashIncrementWriter.Chunks([big, empty, small], Ttl).ToList();

        // 2.5 × Max + 1 fields: Max + Max + the big key's last half and the small key's one.
        Assert.Equal(3, calls.Count);
        Assert.Equal([["big"], ["big"], ["big", "small"]], calls.Select(c => c.Keys.Select(k => (string?)k).ToArray()));
        Assert.All(calls, c => Assert.Equal(Ttl, c.Arguments[0]));
        var sent = new Dictionary<string, long>();
        foreach ((RedisKey[] keys, RedisValue[] arguments) in calls)
        {
            int a = 1, fields = 0;
            foreach (RedisKey key in keys)
            {
                int n = (int)arguments[a++];
                fields += n;
                for (int j = 0; j < n; j++, a += 2)
                {
                    sent.Add((string?)key + "/" + arguments[a], (long)arguments[a + 1]);
                }
            }

            Assert.Equal(arguments.Length, a);
            Assert.InRange(fields, 1, Max);
        }

        Assert.Equal((2 * Max) + (Max / 2) + 1, sent.Count);
        Assert.Equal((2 * Max) + (Max / 2), sent["big/r:" + ((2 * Max) + (Max / 2) - 1)]);
        Assert.Equal(7, sent["small/r"]);
    }
}
