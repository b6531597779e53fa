using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// Where anonymous daily budgets live in Redis (issue 17 finding 4). A daily budget outlives its
/// caller until midnight UTC, so one <c>:day</c> key per client address let anyone with many
/// addresses (an IPv6 /64 holds 2^64) grow Redis without bound. Instead, an anonymous partition's daily
/// budget is kept in one of a fixed number of buckets
/// (<see cref="AnonymousLimits.DailyQuotaBuckets"/>), chosen by a keyed hash of the caller's network
/// prefix (<see cref="AnonymousLimits.DailyQuotaIPv4PrefixLength"/> / <see cref="AnonymousLimits.DailyQuotaIPv6PrefixLength"/>):
/// <list type="bullet">
/// <item>Redis holds at most that many day keys, whatever clients send;</item>
/// <item>the addresses of one prefix share a budget, so spreading requests over the addresses of a
/// network one controls gains nothing, and exhausts at most the one bucket of that prefix;</item>
/// <item>two prefixes may share a bucket (a hash collision): they then share one budget — strict, never
/// more than <c>DailyQuota</c> per bucket and day. More buckets make that rarer.</item>
/// </list>
/// Every instance on one Redis must pick the same bucket, so the hash key is derived from the Redis
/// key prefix (not secret: a bucket only decides which other prefixes share a budget, never its size).
/// </summary>
internal sealed class AnonymousDayBuckets
{
    private const string AddressPrefix = "ip:";

    private readonly int _buckets;
    private readonly int _ipv4Bits;
    private readonly int _ipv6Bits;
    private readonly byte[] _hashKey;

    /// <param name="anonymous">The anonymous limits (bucket count and prefix lengths).</param>
    /// <param name="redisKeyPrefix">Seeds the bucket hash, so every instance on one Redis agrees.</param>
    public AnonymousDayBuckets(AnonymousLimits anonymous, string redisKeyPrefix)
    {
        _buckets = anonymous.DailyQuotaBuckets;
        _ipv4Bits = anonymous.DailyQuotaIPv4PrefixLength;
        _ipv6Bits = anonymous.DailyQuotaIPv6PrefixLength;
        _hashKey = SHA256.HashData(Encoding.UTF8.GetBytes(RedisKeyPrefixSeed + redisKeyPrefix));
    }

    /// <summary>Domain separation of the bucket hash key.</summary>
    public const string RedisKeyPrefixSeed = "sessiongate/anonymous-day-bucket/v1:";

    /// <summary>The bucket of an anonymous (<c>ip:</c>) partition, or null for any other partition.</summary>
    public string? BucketOf(string partition)
    {
        if (!partition.StartsWith(AddressPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        Span<byte> network = stackalloc byte[17];
        int length = NetworkOf(partition.AsSpan(AddressPrefix.Length), network);
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (length > 0)
        {
            HMACSHA256.HashData(_hashKey, network[..length], digest);
        }
        else
        {
            // Not an address (a hashed or unexpected partition): its own text decides.
            HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(partition), digest);
        }

        uint bucket = BinaryPrimitives.ReadUInt32BigEndian(digest) % (uint)_buckets;
        return "anon:" + bucket.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Family byte + the address masked to its prefix; 0 when the text is no address.</summary>
    private int NetworkOf(ReadOnlySpan<char> text, Span<byte> network)
    {
        int slash = text.IndexOf('/');
        if (slash >= 0)
        {
            text = text[..slash];   // already a prefix ("2001:db8::/64"): mask it again to ours
        }

        if (!IPAddress.TryParse(text, out IPAddress? address))
        {
            return 0;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        network[0] = v4 ? (byte)4 : (byte)6;
        Span<byte> bytes = network[1..];
        if (!address.TryWriteBytes(bytes, out int written))
        {
            return 0;
        }

        Mask(bytes[..written], v4 ? _ipv4Bits : _ipv6Bits);
        return written + 1;
    }

    private static void Mask(Span<byte> bytes, int bits)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            int keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
    }
}
