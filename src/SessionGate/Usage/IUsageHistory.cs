namespace SessionGate.Usage;

/// <summary>
/// Quota history for the admin API and the dashboard: per-minute rollups kept for
/// <see cref="UsageHistoryLimits.RetainedMinutes"/> minutes (24 h) — overall, per account, per route,
/// per JSON-RPC method and per anonymous address prefix (/24 IPv4, /48 IPv6). Recording is on the
/// request path: it only touches this instance's memory (striped, like <see cref="IUsageTracker"/>);
/// with Redis a background worker adds the counts to shared hashes every few seconds, so reads sum
/// every instance. Every dimension is capped per minute; traffic beyond a cap is counted in that
/// dimension's "other" bucket (and always in the overall figures), so memory and Redis keys stay
/// bounded whatever clients send.
/// </summary>
public interface IUsageHistory
{
    /// <summary>Counts one rate-limited request. Never blocks on I/O, never throws.</summary>
    void Record(in UsageHistoryEntry entry);

    /// <summary>
    /// Counts one call of a JSON-RPC <paramref name="method"/> (each call of a batch is one call) for
    /// the method top list. The hook for JSON-RPC metering: the request itself is counted once by
    /// <see cref="Record"/>. Method names come from clients: names longer than
    /// <see cref="UsageHistoryLimits.MaxNameLength"/> or outside printable ASCII (space included) count as "other".
    /// </summary>
    /// <param name="method">The call's method, as in the request body.</param>
    /// <param name="cost">Cost units the call took from the budget (0 when refused).</param>
    /// <param name="refused">The call was refused.</param>
    /// <param name="wouldBeRefused">Shadow mode: the call was served but the limit would have refused it.</param>
    void RecordMethodCall(string method, long cost, bool refused, bool wouldBeRefused = false);

    /// <summary>Overall counts per minute and the top accounts, routes, methods and anonymous prefixes over <paramref name="range"/>.</summary>
    /// <param name="range">The range, ending with the current minute.</param>
    /// <param name="top">Most entries in each top list (1–100).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="Storage.StoreUnavailableException">The shared history could not be read.</exception>
    Task<UsageHistoryReport> ReadAsync(HistoryRange range, int top, CancellationToken cancellationToken = default);

    /// <summary>One account's counts per minute over <paramref name="range"/> (lowercase bech32 account).</summary>
    /// <exception cref="Storage.StoreUnavailableException">The shared history could not be read.</exception>
    Task<HistorySeries> ReadAccountAsync(string account, HistoryRange range, CancellationToken cancellationToken = default);
}

/// <summary>
/// One rate-limited request as the history counts it. <see cref="Cost"/> is what the limiter took
/// from the budget (0 for a refused request). Shadow mode reports a request it served although the
/// limit would have refused it with <c>Refused = false, WouldBeRefused = true</c> (see
/// <see cref="ServedInShadowMode"/>), so the per-account would-be refusals are visible.
/// </summary>
/// <param name="Account">The authenticated account (lowercase bech32), or null for anonymous traffic.</param>
/// <param name="ClientAddress">The anonymous client's address (its /24 or /48 prefix is counted); ignored with an account.</param>
/// <param name="Route">The route's id (bounded by configuration), or null when unknown.</param>
/// <param name="Cost">Cost units taken from the budget.</param>
/// <param name="Refused">The limiter refused the request.</param>
/// <param name="WouldBeRefused">Shadow mode: served, but the limit would have refused it.</param>
public readonly record struct UsageHistoryEntry(string? Account, string? ClientAddress, string? Route, long Cost, bool Refused, bool WouldBeRefused = false)
{
    /// <summary>The entry of a request that shadow mode served although its limit would have refused it.</summary>
    public static UsageHistoryEntry ServedInShadowMode(string? account, string? clientAddress, string? route, long cost) =>
        new(account, clientAddress, route, cost, Refused: false, WouldBeRefused: true);
}

/// <summary>Counts of one minute, or summed over a range.</summary>
/// <param name="Requests">Rate-limited requests (or JSON-RPC calls), allowed or refused.</param>
/// <param name="Refused">Refused by the limiter.</param>
/// <param name="Cost">Cost units spent (taken from budgets).</param>
/// <param name="WouldBeRefused">Served in shadow mode although the limit would have refused them.</param>
public readonly record struct HistoryCounts(long Requests, long Refused, long Cost, long WouldBeRefused)
{
    /// <summary>The sum of two counts.</summary>
    public static HistoryCounts operator +(HistoryCounts a, HistoryCounts b) =>
        new(a.Requests + b.Requests, a.Refused + b.Refused, a.Cost + b.Cost, a.WouldBeRefused + b.WouldBeRefused);

    /// <summary>True when nothing was counted.</summary>
    public bool IsEmpty => Requests == 0 && Refused == 0 && Cost == 0 && WouldBeRefused == 0;
}

/// <summary>Counts per minute, oldest first, from <see cref="Start"/> (one entry per minute of the range, zeros included).</summary>
/// <param name="Start">The first minute (UTC, on a minute boundary).</param>
/// <param name="Minutes">The counts of each minute; the last one is the current, still counting minute.</param>
public sealed record HistorySeries(DateTimeOffset Start, IReadOnlyList<HistoryCounts> Minutes)
{
    /// <summary>The sum over the range.</summary>
    public HistoryCounts Totals => Minutes.Aggregate(default(HistoryCounts), (sum, m) => sum + m);
}

/// <summary>One entry of a top list.</summary>
/// <param name="Name">Account, route id, method or address prefix.</param>
/// <param name="Counts">Its counts over the top lists' period.</param>
public sealed record HistoryTopEntry(string Name, HistoryCounts Counts);

/// <summary>The entries with the most requests, and the rest.</summary>
/// <param name="Items">Most requests first (ties by name).</param>
/// <param name="Other">Everything not listed: entries beyond the list's length and traffic beyond the per-minute caps.</param>
public sealed record HistoryTopList(IReadOnlyList<HistoryTopEntry> Items, HistoryCounts Other);

/// <summary>The history over a range.</summary>
/// <param name="Range">The range read.</param>
/// <param name="Time">When it was read.</param>
/// <param name="Overall">All traffic per minute, anonymous included.</param>
/// <param name="TopFrom">The start of the period the top lists sum: the range's start, or with Redis the start of its first clock hour (the lists are kept per hour).</param>
/// <param name="Accounts">Top authenticated accounts.</param>
/// <param name="Routes">Top routes.</param>
/// <param name="Methods">Top JSON-RPC methods (calls).</param>
/// <param name="AnonymousPrefixes">Top anonymous address prefixes.</param>
public sealed record UsageHistoryReport(
    HistoryRange Range,
    DateTimeOffset Time,
    HistorySeries Overall,
    DateTimeOffset TopFrom,
    HistoryTopList Accounts,
    HistoryTopList Routes,
    HistoryTopList Methods,
    HistoryTopList AnonymousPrefixes);
