using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.Balances;
using SessionGate.Chain;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Tiers;

namespace SessionGate.IntegrationTests.Balances;

/// <summary>
/// The balance → tier pipeline as a gateway wires it: one long-lived HttpClient, the Cosmos REST
/// source, the caching decorator and the tier resolver, on the real clock, against a fake node.
/// </summary>
internal sealed class BalanceTierRig : IDisposable
{
    private readonly HttpClient _httpClient;

    public BalanceTierRig(string restUrl, RateLimitingOptions options)
    {
        var chain = new ChainOptions
        {
            Mode = ChainMode.Tendermint,
            RpcUrl = "http://127.0.0.1:1",
            RestUrl = restUrl,
            Tendermint = new TendermintOptions { RequestTimeout = TimeSpan.FromSeconds(5) },
        };
        _httpClient = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = TimeSpan.FromSeconds(10) };
        Rest = new CosmosRestBalanceSource(_httpClient, chain, TimeProvider.System, NullLogger<CosmosRestBalanceSource>.Instance);
        Cache = new CachingBalanceSource(Rest, options.BalanceCache, TimeProvider.System, NullLogger<CachingBalanceSource>.Instance);
        Overrides = new InMemoryTierOverrideStore();
        Resolver = new TierResolver(Cache, Overrides, options, NullLogger<TierResolver>.Instance);
    }

    public CosmosRestBalanceSource Rest { get; }

    public CachingBalanceSource Cache { get; }

    public InMemoryTierOverrideStore Overrides { get; }

    public TierResolver Resolver { get; }

    public async Task<string> TierAsync(string account) => (await Resolver.ResolveAsync(account)).Name;

    public void Dispose() => _httpClient.Dispose();
}
