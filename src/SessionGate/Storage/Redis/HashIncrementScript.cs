using System.Security.Cryptography;
using System.Text;

namespace SessionGate.Storage.Redis;

/// <summary>
/// The Lua script the usage flushes run (<see cref="HashIncrementWriter"/>): for each key, its
/// <c>HINCRBY</c>s and then <c>EXPIRE</c> — exactly the commands the flushes used to pipeline one by
/// one, so stored keys, fields, values and expiries are the same, but sent as one EVALSHA for many
/// keys and fields.
/// </summary>
/// <remarks>
/// <para>KEYS: the hashes, all of one Redis Cluster hash slot (a script may only touch keys of one slot).
/// ARGV[1]: the expiry in seconds, set on every key after its increments. Then per key, in KEYS order:
/// the number of its fields <c>n</c>, then <c>n</c> pairs of field and increment (an integer).
/// Returns the number of keys written.</para>
/// <para>A script runs atomically: all of a call's increments are applied, or — when it does not run
/// at all (connection lost, NOSCRIPT before the text is sent) — none. A script that fails half-way
/// would keep its earlier writes, but nothing here can fail once running: every increment is an
/// integer the writer formatted, and a field that holds a non-integer (written by something else) makes
/// its HINCRBY fail exactly as it did when sent alone.</para>
/// </remarks>
internal static class HashIncrementScript
{
    /// <summary>The script text.</summary>
    public const string Text = """
        local ttl = ARGV[1]
        local a = 2
        for i = 1, #KEYS do
          local key = KEYS[i]
          local n = tonumber(ARGV[a])
          a = a + 1
          for _ = 1, n do
            redis.call('HINCRBY', key, ARGV[a], ARGV[a + 1])
            a = a + 2
          end
          redis.call('EXPIRE', key, ttl)
        end
        return #KEYS
        """;

    /// <summary>SHA-1 of <see cref="Text"/>, what EVALSHA names it by (20 raw bytes).</summary>
    public static readonly byte[] Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Text));
}
