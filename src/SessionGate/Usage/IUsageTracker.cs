namespace SessionGate.Usage;

/// <summary>
/// Per-second request counts for the admin API and the dashboard: requests and refusals per account
/// and overall (anonymous traffic included), over the last <see cref="UsageWindow.Seconds"/> seconds.
/// <see cref="Record(string?, bool)"/> is on the request hot path: it only touches this instance's memory; with
/// Redis a background worker adds each completed second to a shared hash once per second, so reads
/// sum every instance.
/// </summary>
public interface IUsageTracker
{
    /// <summary>Counts one rate-limited request of <paramref name="account"/> (null: anonymous). Never blocks on I/O, never throws.</summary>
    void Record(string? account, bool rejected);

    /// <summary>
    /// Counts one rate-limited request, and whether shadow mode served it although its limits would
    /// have refused it (<paramref name="shadowRejected"/>: a would-be refusal, counted apart from
    /// <paramref name="rejected"/>). Never blocks on I/O, never throws. The default implementation
    /// (for trackers written before shadow mode) drops the would-be refusal.
    /// </summary>
    void Record(string? account, bool rejected, bool shadowRejected) => Record(account, rejected);

    /// <summary>The counts of the last <see cref="UsageWindow.Seconds"/> seconds, oldest first, ending with the current second.</summary>
    /// <exception cref="Storage.StoreUnavailableException">The shared counts could not be read.</exception>
    Task<UsageSnapshot> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>The counts of one account (lowercase bech32) over the window; reads only that account's figures.</summary>
    /// <exception cref="Storage.StoreUnavailableException">The shared counts could not be read.</exception>
    Task<UsageSeries> ReadAccountAsync(string account, CancellationToken cancellationToken = default);
}

/// <summary>The window usage is reported over.</summary>
public static class UsageWindow
{
    /// <summary>Seconds in the window (the dashboard's minute).</summary>
    public const int Seconds = 60;
}

/// <summary>Counts of one caller (or of all traffic) over the window.</summary>
/// <param name="Requests">Rate-limited requests, allowed or refused.</param>
/// <param name="Rejected">Requests the limiter refused.</param>
/// <param name="RequestsPerSecond">Requests in each second of the window, oldest first (<see cref="UsageWindow.Seconds"/> entries).</param>
public sealed record UsageSeries(long Requests, long Rejected, IReadOnlyList<long> RequestsPerSecond)
{
    /// <summary>Requests served in shadow mode that the limits would have refused (not part of <see cref="Rejected"/>).</summary>
    public long ShadowRejected { get; init; }

    /// <summary>No traffic.</summary>
    public static UsageSeries Empty { get; } = new(0, 0, new long[UsageWindow.Seconds]);
}

/// <summary>Usage over the window ending at <see cref="Time"/>.</summary>
/// <param name="Time">When the snapshot was taken.</param>
/// <param name="Overall">All traffic, anonymous included.</param>
/// <param name="Accounts">Authenticated accounts with traffic in the window (lowercase bech32 → counts).</param>
public sealed record UsageSnapshot(DateTimeOffset Time, UsageSeries Overall, IReadOnlyDictionary<string, UsageSeries> Accounts);
