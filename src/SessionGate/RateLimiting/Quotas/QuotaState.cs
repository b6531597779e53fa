namespace SessionGate.RateLimiting.Quotas;

/// <summary>
/// What is stored per partition: the GCRA theoretical arrival time and the daily budget's usage.
/// The default value is a partition never seen (full bucket, nothing used), exactly like missing
/// Redis keys, so expiring a state never changes a decision.
/// </summary>
/// <param name="Tat">Theoretical arrival time, Unix microseconds: the bucket is full again at this instant (0 = full).</param>
/// <param name="Day">UTC day number (days since 1970-01-01) <paramref name="Used"/> belongs to.</param>
/// <param name="Used">Cost units spent on <paramref name="Day"/>.</param>
internal readonly record struct QuotaState(long Tat, long Day, long Used);
