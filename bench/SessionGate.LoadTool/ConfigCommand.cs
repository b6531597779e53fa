using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.LoadTool;

/// <summary>
/// Writes the gateway's appsettings.json for the benchmark. The same file serves the bare-proxy
/// baseline and SessionGate, so both run exactly the same YARP configuration.
/// </summary>
internal static class ConfigCommand
{
    /// <summary><c>--redis none</c>: in-memory stores (the diagnostic run that isolates Redis's share).</summary>
    public const string NoRedis = "none";

    public static async Task<int> RunAsync(ToolArguments arguments)
    {
        int accounts = arguments.Count("accounts", LoadAccounts.MaxAccounts);
        Uri upstream = arguments.Url("upstream");
        string redis = arguments.Text("redis");
        string output = arguments.Text("out");

        var stream = new FileStream(output, FileMode.Create, FileAccess.Write);
        await using (stream.ConfigureAwait(false))
        {
            var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            await using (json.ConfigureAwait(false))
            {
                Write(json, accounts, upstream, redis);
            }
        }

        return 0;
    }

    private static void Write(Utf8JsonWriter json, int accounts, Uri upstream, string redis)
    {
        json.WriteStartObject();

        // Per-request logging would cost the gateway what nginx's "access_log off" saves nginx.
        json.WriteStartObject("Logging");
        json.WriteStartObject("LogLevel");
        json.WriteString("Default", "Warning");
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("SessionGate");
        if (redis != NoRedis)
        {
            json.WriteString("Redis", redis);

            // The default 250 ms bound makes the limiter fall back to local decisions on a machine that
            // is busy with other work, and the run would then measure less Redis than it claims; run.sh
            // also fails a run whose EVALSHA count per request is short.
            json.WriteString("RedisTimeout", "00:00:02");
        }

        // Every key is registered at start-up (one key, one account), so every header is valid.
        json.WriteStartArray("Keys");
        for (int i = 0; i < accounts; i++)
        {
            using Sr25519KeyPair key = LoadAccounts.Key(i);
            json.WriteStartObject();
            json.WriteString("PublicKey", HexCodec.Encode(key.PublicKey));
            json.WriteString("Account", LoadAccounts.Account(i));
            json.WriteString("Expires", "2099-01-01T00:00:00Z");
            json.WriteEndObject();
        }

        json.WriteEndArray();

        // One tier for every balance, far above what one account sends in a run: each request is still
        // decided by the Redis limiter (one EVALSHA) but none is refused, so B and C do equal work.
        json.WriteStartObject("RateLimiting");
        json.WriteStartArray("Tiers");
        json.WriteStartObject();
        json.WriteString("Name", "bench");
        json.WriteNumber("MinBalance", 0);
        json.WriteNumber("PermitsPerMinute", 60_000_000);
        json.WriteNumber("Burst", 10_000_000);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("ReverseProxy");
        json.WriteStartObject("Routes");
        json.WriteStartObject("api");
        json.WriteString("ClusterId", "upstream");
        json.WriteStartObject("Match");
        json.WriteString("Path", "/api/{**rest}");
        json.WriteEndObject();
        json.WriteStartObject("Metadata");
        json.WriteString("SessionGate.RequireSession", "true");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("Clusters");
        json.WriteStartObject("upstream");
        json.WriteStartObject("Destinations");
        json.WriteStartObject("d1");
        json.WriteString("Address", upstream.ToString());
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteEndObject();
    }
}
