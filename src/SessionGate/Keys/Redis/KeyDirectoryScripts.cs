namespace SessionGate.Keys.Redis;

/// <summary>
/// One Lua script per directory write: the check, the change, the index, the change counter and the
/// notification happen atomically (all keys share one slot, see <see cref="KeyDirectoryLayout"/>).
/// Every script returns <c>{result, generation}</c>: the result is the numeric value of
/// <see cref="KeyRegistrationResult"/> or <see cref="KeyChangeResult"/>, and generation is the counter
/// after the change (0 when nothing changed). Times are Unix milliseconds (UTC), passed in by the
/// caller so the in-memory and Redis directories stamp records the same way.
/// </summary>
internal static class KeyDirectoryScripts
{
    // Shared tail of a script that changed something: bump the counter and tell every instance which
    // key changed, inside the same atomic step, so no instance can miss a change that happened.
    private const string Notify = """
        local generation = redis.call('INCR', KEYS[#KEYS])
        redis.call('PUBLISH', ARGV[#ARGV - 1], generation .. ':' .. ARGV[#ARGV])
        return {result, generation}
        """;

    /// <summary>
    /// KEYS: record, account index, generation. ARGV: account, type, expires, use case, scopes JSON,
    /// created, channel, hex. Disabled is checked before ownership: a disabled key is refused to all.
    /// </summary>
    public const string Register = """
        local existing = redis.call('HMGET', KEYS[1], 'account', 'disabled')
        local result
        if existing[1] then
          if existing[2] == '1' then return {3, 0} end
          if existing[1] ~= ARGV[1] then return {2, 0} end
          redis.call('HSET', KEYS[1], 'expires', ARGV[3], 'use_case', ARGV[4], 'scopes', ARGV[5])
          result = 1
        else
          redis.call('HSET', KEYS[1], 'account', ARGV[1], 'type', ARGV[2], 'expires', ARGV[3],
            'use_case', ARGV[4], 'scopes', ARGV[5], 'created', ARGV[6], 'disabled', '0')
          result = 0
        end
        redis.call('ZADD', KEYS[2], 0, ARGV[8])
        """ + "\n" + Notify;

    /// <summary>KEYS: record, generation. ARGV: disabled-at, channel, hex.</summary>
    public const string Disable = """
        local disabled = redis.call('HGET', KEYS[1], 'disabled')
        if not disabled then return {1, 0} end
        if disabled == '1' then return {2, 0} end
        redis.call('HSET', KEYS[1], 'disabled', '1', 'disabled_at', ARGV[1])
        local result = 0
        """ + "\n" + Notify;

    /// <summary>KEYS: record, generation. ARGV: expires, channel, hex.</summary>
    public const string SetExpiry = """
        local disabled = redis.call('HGET', KEYS[1], 'disabled')
        if not disabled then return {1, 0} end
        if disabled == '1' then return {2, 0} end
        redis.call('HSET', KEYS[1], 'expires', ARGV[1])
        local result = 0
        """ + "\n" + Notify;
}
