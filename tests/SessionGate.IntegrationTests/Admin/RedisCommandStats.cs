using System.Globalization;
using SessionGate.IntegrationTests.RateLimiting;

namespace SessionGate.IntegrationTests.Admin;

/// <summary>
/// Redis's own count of executed commands (<c>INFO commandstats</c>, read and reset through redis-cli so
/// the test's own reads are not counted). It counts commands run inside scripts too: an EVALSHA that
/// runs 250 HINCRBY shows as 1 <c>evalsha</c> and 250 <c>hincrby</c>.
/// </summary>
internal static class RedisCommandStats
{
    public static async Task ResetAsync(IEnumerable<int> ports)
    {
        foreach (int port in ports)
        {
            await RedisCluster.RedisCliAsync(["-p", port.ToString(CultureInfo.InvariantCulture), "CONFIG", "RESETSTAT"]);
        }
    }

    /// <summary>Calls per command (lower case), summed over the nodes.</summary>
    public static async Task<Dictionary<string, long>> ReadAsync(IEnumerable<int> ports)
    {
        var calls = new Dictionary<string, long>();
        foreach (int port in ports)
        {
            (_, string info) = await RedisCluster.RedisCliAsync(["-p", port.ToString(CultureInfo.InvariantCulture), "INFO", "commandstats"]);
            foreach (string line in info.Split('\n'))
            {
                // cmdstat_hincrby:calls=2669,usec=…
                const string Prefix = "cmdstat_";
                int colon = line.IndexOf(":calls=", StringComparison.Ordinal);
                if (line.StartsWith(Prefix, StringComparison.Ordinal) && colon > 0)
                {
                    string command = line[Prefix.Length..colon];
                    long n = long.Parse(line[(colon + ":calls=".Length)..].Split(',')[0], CultureInfo.InvariantCulture);
                    calls[command] = calls.GetValueOrDefault(command) + n;
                }
            }
        }

        return calls;
    }

    /// <summary>Script calls (EVALSHA and EVAL) in <paramref name="calls"/>.</summary>
    public static long Scripts(Dictionary<string, long> calls) => calls.GetValueOrDefault("evalsha") + calls.GetValueOrDefault("eval");

    /// <summary>Script calls of at most <paramref name="fieldsPerCall"/> fields that <paramref name="fields"/> fields need at least.</summary>
    public static long ChunksOf(long fields, int fieldsPerCall) => (fields + fieldsPerCall - 1) / fieldsPerCall;
}
