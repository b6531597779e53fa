using SessionGate.Caching;

using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// The latest decision of each recently limited partition, for what a successful response reports
/// (RateLimit headers, <see cref="ISessionGateRateLimitFeature"/>). ASP.NET Core's rate-limiting
/// middleware keeps the lease of a granted request to itself (it hands it over only on rejection), so
/// the partition's limiter records its decision here and the request reads its partition's entry.
/// With concurrent requests of one partition a response may report a later decision than its own:
/// the remaining budget it shows is never staler than its own decision. Bounded: entries keyed by
/// client input (addresses, accounts), capacity 100,000, each kept one minute.
/// </summary>
internal sealed class RateLimitOutcomes
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    private readonly BoundedCache<string, RateLimitOutcome> _latest;

    public RateLimitOutcomes(TimeProvider time) => _latest = new BoundedCache<string, RateLimitOutcome>(100_000, time);

    public void Record(string partition, QuotaPolicy policy, in QuotaDecision decision) =>
        _latest.Set(partition, new RateLimitOutcome(policy, decision), KeepFor);

    public bool TryGet(string partition, out RateLimitOutcome outcome) => _latest.TryGet(partition, out outcome!);
}

/// <summary>A partition's limits and the latest decision made for it.</summary>
internal sealed record RateLimitOutcome(QuotaPolicy Policy, QuotaDecision Decision);
