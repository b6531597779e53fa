namespace SessionGate.Usage;

/// <summary>Usage of a single gateway instance (no Redis): the counts live in this process only.</summary>
internal sealed class InMemoryUsageTracker : IUsageTracker
{
    private readonly UsageCounters _counters;

    public InMemoryUsageTracker(TimeProvider time, int maxAccountsPerSecond = UsageCounters.DefaultMaxAccountsPerSecond) =>
        _counters = new UsageCounters(time, maxAccountsPerSecond);

    /// <inheritdoc />
    public void Record(string? account, bool rejected) => _counters.Record(account, rejected);

    /// <inheritdoc />
    public Task<UsageSnapshot> ReadAsync(CancellationToken cancellationToken = default) => Task.FromResult(_counters.Snapshot());
}
