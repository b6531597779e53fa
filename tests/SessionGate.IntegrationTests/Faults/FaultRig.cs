using System.Globalization;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Protocol;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>Settings and helpers the fault tests share (the gateway itself is <see cref="GatewayProcess"/>).</summary>
internal static class FaultRig
{
    /// <summary>
    /// The routes of <see cref="ProxyGatewayFixture"/> (<c>/api</c> requires a session, <c>/open</c>, <c>/slow</c>,
    /// <c>/down</c>, …) with generous limits, so a fault test sees the fault, not its own quota.
    /// </summary>
    public static Dictionary<string, string?> Gateway(Uri upstream) => ProxyGatewayFixture.Settings(upstream, RedisServer.FreeTcpPort());

    /// <summary>Adds a shared Redis with a fresh key prefix; returns the prefix.</summary>
    public static string UseRedis(Dictionary<string, string?> settings, RedisServer redis, TimeSpan timeout)
    {
        string prefix = $"fault-{Guid.NewGuid():N}:";
        settings["SessionGate:Redis"] = redis.Configuration;
        settings["SessionGate:RedisKeyPrefix"] = prefix;
        settings["SessionGate:RedisTimeout"] = timeout.ToString("c", CultureInfo.InvariantCulture);
        return prefix;
    }

    /// <summary>The hash of the gateway's newest block (<c>GET /_sessiongate/block</c>).</summary>
    public static async Task<string> LatestBlockHashAsync(GatewayProcess gateway)
    {
        string body = await gateway.Client.GetStringAsync(new Uri("/_sessiongate/block", UriKind.Relative));
        return JsonDocument.Parse(body).RootElement.GetProperty("hash").GetString()!;
    }

    /// <summary>A valid header of <see cref="TestIdentity"/> over <paramref name="blockHash"/>.</summary>
    public static string ValidHeader(string blockHash, ulong nonce = 0)
    {
        using Sr25519KeyPair key = TestIdentity.Key();
        return KiraSessionHeader.Create(key, TestIdentity.Account, blockHash, nonce);
    }

    /// <summary>Asserts the gateway process still runs and answers <c>/healthz</c> with 200.</summary>
    public static async Task AssertAliveAsync(GatewayProcess gateway)
    {
        Assert.False(gateway.Process.HasExited, "the gateway process exited:\n" + gateway.Process.Output);
        using HttpResponseMessage health = await gateway.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>"400 session_malformed: 123, 401 signature_invalid: 45, …" for reports.</summary>
    public static string Tally(IEnumerable<Answer> answers) =>
        string.Join(", ", answers.GroupBy(a => a.ToString()).OrderByDescending(g => g.Count()).Select(g => $"{g.Key}: {g.Count()}"));
}
