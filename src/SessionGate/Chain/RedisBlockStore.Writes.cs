using StackExchange.Redis;

namespace SessionGate.Chain;

internal sealed partial class RedisBlockStore
{
    // Replace the newest block only with a higher one (heights are the record's leading digits).
    private const string OfferLatestScript = """
        local current = redis.call('GET', KEYS[1])
        if current then
          local height = tonumber(string.match(current, '^(%d+):'))
          if height and height >= tonumber(ARGV[1]) then return 0 end
        end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        return 1
        """;

    /// <inheritdoc />
    public async ValueTask AddAsync(BlockInfo block, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        bool kept = _local.Add(block);
        bool isLatest = ReferenceEquals(_local.Latest, block);
        if (!kept && !isLatest)
        {
            return;
        }

        string record = BlockRecordFormat.Format(block);
        var expiry = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(BlockRetention.Remaining(block, _retention, now).TotalMilliseconds)));
        long retentionMs = (long)Math.Max(1, _retention.TotalMilliseconds);
        try
        {
            await _connection.RunAsync(
                db => Task.WhenAll(
                    kept ? db.StringSetAsync(BlockKey(block.Hash), record, expiry) : Task.CompletedTask,
                    isLatest ? db.ScriptEvaluateAsync(OfferLatestScript, [_latestKey], [block.Height, record, retentionMs]) : Task.CompletedTask),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!IsCancellation(e, cancellationToken))
        {
            Log.StoreWriteFailed(_logger, block.Height, e.Message);
        }
    }
}
