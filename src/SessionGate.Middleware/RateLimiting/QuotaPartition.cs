using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.Authentication;
using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Tiers;

using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// A rate-limit partition as ASP.NET Core's limiter sees it: whose budget (an account, or an
/// anonymous client address), under which limits, at which cost per request. Computed from what
/// authentication already established (the session feature and the <c>tier</c> claim) and the
/// route's metadata, so it is a pure function of the request: ASP.NET may compute it twice.
/// </summary>
/// <param name="Key">The budget's name (<see cref="PartitionKey"/>), the same on every instance.</param>
/// <param name="Policy">The limits of the caller's tier (or the anonymous limits).</param>
/// <param name="Cost">Cost units one request takes (the route's <c>SessionGate.Cost</c>, or the request's own <see cref="ISessionGateRequestCostFeature"/>).</param>
public readonly record struct QuotaPartition(string Key, QuotaPolicy Policy, int Cost)
{
    /// <summary>
    /// The route's name for the quota history's route top list (<see cref="HistoryRouteName"/>), or
    /// null. Part of the partition's identity, so ASP.NET keeps one limiter per account and route;
    /// the budget is still the account's (<see cref="Key"/>).
    /// </summary>
    public string? Route { get; init; }

    /// <summary>Equal partitions: the same budget, limits, cost and route (the compiler's value equality, with a cheap first test on the policy's reference).</summary>
    public bool Equals(QuotaPartition other) =>
        Cost == other.Cost
        && string.Equals(Key, other.Key, StringComparison.Ordinal)
        && string.Equals(Route, other.Route, StringComparison.Ordinal)
        && (ReferenceEquals(Policy, other.Policy) || EqualityComparer<QuotaPolicy>.Default.Equals(Policy, other.Policy));

    // ASP.NET Core's partitioned limiter hashes the partition on every request (under its lock). The
    // compiler's hash also hashed the policy record (its name string and four fields) and the route;
    // the key (whose budget) and the cost already separate partitions, and the few that share them
    // (one account's routes and shadow variants) only share a bucket. Consistent with Equals.
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, Cost);

    // Addresses are bounded by the transport, but a custom connection feature could hand anything over.
    private const int MaxAddressLength = 128;

    /// <summary>The partition of <paramref name="context"/>.</summary>
    internal static QuotaPartition For(HttpContext context, TierCatalog tiers)
    {
        // A request-specific cost (a JSON-RPC body's summed method costs) replaces the route's. A
        // partition per distinct cost means a limiter object per cost, all deciding on one budget.
        int cost = context.Features.Get<ISessionGateRequestCostFeature>()?.Cost ?? RouteSettings.For(context.GetEndpoint()).Cost;
        if (context.Features.Get<ISessionGateFeature>() is { } session)
        {
            QuotaPolicy policy = TierOf(context, session, tiers);
            string key = session is SessionGateFeature known ? known.AccountPartitionKey : PartitionKey.ForAccount(session.Session.Account);
            return new QuotaPartition(key, policy, cost) { Route = HistoryRouteName.Of(context.GetEndpoint()) };
        }

        string address = ClientAddresses.Of(context);
        return new QuotaPartition(PartitionKey.ForAddress(address.Length > MaxAddressLength ? address[..MaxAddressLength] : address), tiers.Anonymous, cost)
        {
            Route = HistoryRouteName.Of(context.GetEndpoint()),
        };
    }

    // The tier claim of the user, as the limiter always read it; while HttpContext.User is still the
    // principal SessionGate authenticated, the tier it was built with (the same value, without
    // enumerating claims). The catalogue's lookup keeps a renamed or removed tier falling to the lowest.
    private static QuotaPolicy TierOf(HttpContext context, ISessionGateFeature session, TierCatalog tiers)
    {
        string? tierName = session is SessionGateFeature { Tier: { } known } feature && ReferenceEquals(feature.Principal, context.User)
            ? known.Name
            : context.User.FindFirst(SessionClaimTypes.Tier)?.Value;
        return tierName is not null && tiers.TryGetTier(tierName, out QuotaPolicy? tier) ? tier : tiers.Lowest;
    }
}
