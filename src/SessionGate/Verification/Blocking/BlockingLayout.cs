using System.Text;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.Verification.Blocking;

/// <summary>
/// Redis key names of client blocking (under <see cref="RedisOptions.KeyPrefix"/>):
/// <c>block:{&lt;client&gt;}:failures</c> (failure counter, PX = failure window) and
/// <c>block:{&lt;client&gt;}:blocked</c> (present while blocked, PX = block duration), plus the pub/sub
/// channel <c>blocks:changed</c>. Both keys of a client share the hash tag <c>{client}</c>, so the one
/// script per failure touches one slot on Redis Cluster, and different clients spread over the cluster.
/// The client goes into the tag with <c>%</c>, <c>{</c> and <c>}</c> percent-encoded, so the tag is never
/// empty or cut short and the client can be read back from a key.
/// </summary>
internal sealed class BlockingLayout
{
    private const string Infix = "block:{";
    private const string FailuresSuffix = "}:failures";
    private const string BlockedSuffix = "}:blocked";
    private readonly RedisConnection _connection;
    private readonly string _blockedKeyStart;

    public BlockingLayout(RedisConnection connection)
    {
        _connection = connection;
        string prefix = connection.Options.KeyPrefix;
        _blockedKeyStart = prefix + Infix;
        Channel = new RedisChannel(prefix + "blocks:changed", RedisChannel.PatternMode.Literal);
        ScanPattern = GlobEscape(prefix) + Infix + "*" + BlockedSuffix;
    }

    /// <summary>Block and unblock notifications.</summary>
    public RedisChannel Channel { get; }

    /// <summary>SCAN MATCH pattern of every block key.</summary>
    public string ScanPattern { get; }

    public RedisKey Failures(string client) => _connection.Key(Infix + Encode(client) + FailuresSuffix);

    public RedisKey Blocked(string client) => _connection.Key(Infix + Encode(client) + BlockedSuffix);

    /// <summary>The client a block key belongs to.</summary>
    public bool TryReadClient(string? blockedKey, out string client)
    {
        client = "";
        if (blockedKey is null
            || !blockedKey.StartsWith(_blockedKeyStart, StringComparison.Ordinal)
            || !blockedKey.EndsWith(BlockedSuffix, StringComparison.Ordinal)
            || blockedKey.Length <= _blockedKeyStart.Length + BlockedSuffix.Length)
        {
            return false;
        }

        client = Uri.UnescapeDataString(blockedKey[_blockedKeyStart.Length..^BlockedSuffix.Length]);
        return true;
    }

    private static string Encode(string client) =>
        client.Replace("%", "%25", StringComparison.Ordinal).Replace("{", "%7B", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal);

    private static string GlobEscape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
