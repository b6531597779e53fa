namespace SessionGate.Verification.Blocking;

/// <summary>
/// Lua for client blocking. Expiry is Redis's own clock (PX), so instances with skewed clocks agree on
/// when windows close and blocks end. Each script touches the two keys of one client (one slot).
/// </summary>
internal static class BlockingScripts
{
    /// <summary>
    /// One failure. KEYS: failures, blocked. ARGV: threshold, window ms, block ms, channel, client.
    /// Returns <c>{remaining block ms, 1 if this failure blocked}</c>; <c>{0, 0}</c> when not blocked.
    /// An existing block is neither counted against nor extended. Reaching the threshold sets the block,
    /// deletes the counter (a fresh count after the block) and tells the other instances.
    /// </summary>
    public const string RecordFailure = """
        local remaining = redis.call('PTTL', KEYS[2])
        if remaining > 0 then return {remaining, 0} end
        local count = redis.call('INCR', KEYS[1])
        if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        if count >= tonumber(ARGV[1]) then
          redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
          redis.call('DEL', KEYS[1])
          redis.call('PUBLISH', ARGV[4], 'B|' .. ARGV[3] .. '|' .. ARGV[5])
          return {tonumber(ARGV[3]), 1}
        end
        return {0, 0}
        """;

    /// <summary>
    /// Lift a block and forget the failures. KEYS: failures, blocked. ARGV: channel, client. Returns 1
    /// when a block was lifted. Always notifies, so stale local entries elsewhere are dropped too.
    /// </summary>
    public const string Unblock = """
        local lifted = redis.call('DEL', KEYS[2])
        redis.call('DEL', KEYS[1])
        redis.call('PUBLISH', ARGV[1], 'U|0|' .. ARGV[2])
        return lifted
        """;
}
