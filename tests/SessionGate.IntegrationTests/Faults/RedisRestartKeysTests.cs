using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.Crypto;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;
using SessionGate.Keys;
using SessionGate.Keys.Redis;
using SessionGate.Protocol;
using SessionGate.Storage.Redis;
using SessionGate.Testing.Grants;
using Xunit.Abstractions;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// Keys registered by a gateway and keys an operator disabled survive a crash of Redis run with the
/// repository's redis.conf (Proxy/RedisConfTests checks the settings and a plain key; this checks
/// SessionGate's own data, seen through a fresh gateway process).
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class RedisRestartKeysTests(ITestOutputHelper output)
{
    private const int KeyCount = 20;
    private const int DisabledCount = 5;

    [Fact]
    public async Task Gateway_RedisConfRedisKilledAndRestarted_RegisteredAndDisabledKeysAllKept()
    {
        await using RepositoryRedis redis = RepositoryRedis.Create();
        await redis.StartAsync();
        await using FakeUpstream upstream = await FakeUpstream.StartAsync();
        string prefix = $"fault-{Guid.NewGuid():N}:";
        Sr25519KeyPair[] keys = [.. Enumerable.Range(1, KeyCount).Select(i => Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)i, 32).ToArray()))];
        try
        {
            // Gateway A registers the keys from its configuration (SessionGate:Keys) at start-up.
            Dictionary<string, string?> settings = Settings(upstream, redis, prefix);
            for (int i = 0; i < KeyCount; i++)
            {
                settings[$"SessionGate:Keys:{i}:PublicKey"] = HexCodec.Encode(keys[i].PublicKey);
                settings[$"SessionGate:Keys:{i}:Account"] = Account(i);
                settings[$"SessionGate:Keys:{i}:Expires"] = "2099-01-01T00:00:00Z";
            }

            await using (GatewayProcess a = await GatewayProcess.StartAsync(settings))
            {
                // An operator disables some keys (through the directory, as the admin API will).
                await using RedisConnection connection = await RedisConnection.ConnectAsync(new RedisOptions { Configuration = redis.Configuration, KeyPrefix = prefix });
                var directory = new RedisSignerKeyDirectory(connection, TimeProvider.System, NullLogger<RedisSignerKeyDirectory>.Instance, new RedisSignerKeyDirectoryOptions());
                for (int i = 0; i < DisabledCount; i++)
                {
                    Assert.Equal(KeyChangeResult.Changed, await directory.DisableAsync(new Bytes32(keys[i].PublicKey)));
                }

                await AssertKeysAsync(a, keys, "before the crash");

                // An account binds its own key with a wallet-signed grant (HTTP, no operator).
                using JsonDocument block = JsonDocument.Parse(await a.Client.GetStringAsync(new Uri("/_sessiongate/block", UriKind.Relative)));
                string chainId = block.RootElement.GetProperty("chain_id").GetString()!;
                DateTimeOffset now = DateTimeOffset.UtcNow;
                using var content = new StringContent(GrantWallet.Body(GrantWallet.Grant(GrantDomain, HexCodec.Encode(GrantedKey.PublicKey), chainId, now, now.AddDays(1))), System.Text.Encoding.UTF8, "application/json");
                using HttpResponseMessage grant = await a.Client.PostAsync(new Uri("/_sessiongate/grants", UriKind.Relative), content);
                Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
                await AssertGrantedAsync(a, "before the crash");
            }

            // SIGKILL right after the last acknowledged write. appendfsync everysec bounds what a power
            // loss can take; a killed process loses nothing acknowledged, because Redis write()s the AOF
            // buffer to the kernel before it replies to the client.
            await redis.KillAsync();
            await redis.StartAsync();

            // Gateway B has no SessionGate:Keys, so nothing re-registers: all it knows comes from Redis.
            await using GatewayProcess b = await GatewayProcess.StartAsync(Settings(upstream, redis, prefix));
            await AssertKeysAsync(b, keys, "after the restart");
            await AssertGrantedAsync(b, "after the restart");
            output.WriteLine($"redis.conf Redis SIGKILLed and restarted: {KeyCount} registered keys ({DisabledCount} disabled) and a wallet-granted key all kept, seen by a fresh gateway process");
        }
        finally
        {
            foreach (Sr25519KeyPair key in keys)
            {
                key.Dispose();
            }
        }
    }

    private const string GrantDomain = "app.example.org";
    private static readonly TestWallet GrantWallet = new("redis restart");
    private static readonly Sr25519KeyPair GrantedKey = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)0xC3, 32).ToArray());

    /// <summary>The granted key's header answers 200.</summary>
    private static async Task AssertGrantedAsync(GatewayProcess gateway, string when)
    {
        string block = await FaultRig.LatestBlockHashAsync(gateway);
        string header = KiraSessionHeader.Create(GrantedKey, GrantWallet.Account, block);
        Answer answer = default;
        await Eventually.HoldsAsync(
            async () => (answer = await Answer.GetAsync(gateway.Client, "/api/granted", header)).Status == 200,
            TimeSpan.FromSeconds(10),
            $"the granted key answers 200 {when} (last: {answer})");
    }

    private static Dictionary<string, string?> Settings(FakeUpstream upstream, RepositoryRedis redis, string prefix)
    {
        Dictionary<string, string?> settings = FaultRig.Gateway(upstream.Address);
        settings["SessionGate:Redis"] = redis.Configuration;
        settings["SessionGate:RedisKeyPrefix"] = prefix;
        settings["SessionGate:RedisTimeout"] = "00:00:02";
        settings["SessionGate:Grants:Domain"] = GrantDomain;
        return settings;
    }

    private static string Account(int i) => AccountAddress.Encode("kira", Enumerable.Repeat((byte)(0x40 + i), 20).ToArray());

    /// <summary>Every key answers as registered: the first <see cref="DisabledCount"/> 401 key_disabled, the rest 200.</summary>
    private static async Task AssertKeysAsync(GatewayProcess gateway, Sr25519KeyPair[] keys, string when)
    {
        string block = await FaultRig.LatestBlockHashAsync(gateway);
        for (int i = 0; i < keys.Length; i++)
        {
            string header = KiraSessionHeader.Create(keys[i], Account(i), block);
            (int, string?) expected = i < DisabledCount ? (401, "key_disabled") : (200, null);
            Answer answer = default;
            await Eventually.HoldsAsync(
                async () => ((answer = await Answer.GetAsync(gateway.Client, "/api/keys", header)).Status, answer.Code) == expected,
                TimeSpan.FromSeconds(10),
                $"key {i.ToString(CultureInfo.InvariantCulture)} answers {expected} {when} (last: {answer})");
        }
    }
}
