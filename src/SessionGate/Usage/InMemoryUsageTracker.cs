namespace SessionGate.Usage;

/// <summary>Usage of a single gateway instance (no Redis): the counts live in this process only.</summary>
internal sealed class InMemoryUsageTracker : IUsageTracker
{
    private readonly UsageCounters _counters;

    public InMemoryUsageTracker(TimeProvider time, int maxAccountsPerSecond = UsageCounters.DefaultMaxAccountsPerSecond) =>
        _counters = new UsageCounters(time, maxAccountsPerSecond);

    /// <inheritdoc />
    public void Record(string? account, bool rejected) => _counters.Record(account, rejected, shadowRejected: false);

    /// <inheritdoc />
    public void Record(string? account, bool rejected, bool shadowRejected) => _counters.Record(account, rejected, shadowRejected);

    /// <inheritdoc />
    public Task<UsageSnapshot> ReadAsync(CancellationToken cancellationToken = default) => Task.FromResult(_counters.Snapshot());

    /// <inheritdoc />
    public Task<UsageSeries> ReadAccountAsync(string account, CancellationToken cancellationToken = default) =>
        Task.FromResult(_counters.Snapshot().Accounts.GetValueOrDefault(account) ?? UsageSeries.Empty);
}
