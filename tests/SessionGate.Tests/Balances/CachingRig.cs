using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Balances;
using SessionGate.RateLimiting;
using SessionGate.Testing;
using SessionGate.Tests.Chain;

namespace SessionGate.Tests.Balances;

/// <summary>A <see cref="CachingBalanceSource"/> over a fake inner source on a fake clock (TTL 60 s, staleness 10 min).</summary>
internal sealed class CachingRig
{
    public const string Account = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";

    public CachingRig(RateLimitingOptions? options = null, int capacity = CachingBalanceSource.DefaultCapacity, TimeSpan? retryInterval = null)
    {
        Options = options ?? new RateLimitingOptions();
        Inner = new FakeBalanceSource(Clock);
        Source = new CachingBalanceSource(Inner, Options.BalanceCache, Clock, Logger, capacity, retryInterval);
    }

    public FakeTimeProvider Clock { get; } = new(TestTime.Start);

    public FakeBalanceSource Inner { get; }

    public RateLimitingOptions Options { get; }

    public TimeSpan Ttl => Options.BalanceCacheTtl;

    public FakeLogger<CachingBalanceSource> Logger { get; } = new();

    public CachingBalanceSource Source { get; }

    public ValueTask<BalanceResult> Get(string account = Account, CancellationToken cancellationToken = default) =>
        Source.GetBalanceAsync(account, cancellationToken);

    /// <summary>Reads once (a fetch) so the account is cached with <paramref name="balance"/>.</summary>
    public async Task<BalanceResult> PrimeAsync(decimal balance, string account = Account)
    {
        Inner.Balances[account] = balance;
        return await Get(account);
    }

    /// <summary>Waits until no fetch is in flight (background refreshes finish on the thread pool).</summary>
    public Task SettledAsync() => Wait.UntilAsync(() => Source.InFlightCount == 0, "every fetch finishes");
}
