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
    /// created, origin, channel, hex. Disabled is checked before ownership: a disabled key is refused
    /// to all. An update keeps the record's origin; <c>HSETNX</c> gives a record written before origins
    /// existed the origin of its first re-registration (the start-up seeding re-registers every
    /// configured key, so those become <c>config</c>).
    /// </summary>
    public const string Register = """
        local existing = redis.call('HMGET', KEYS[1], 'account', 'disabled')
        local result
        if existing[1] then
          if existing[2] == '1' then return {3, 0} end
          if existing[1] ~= ARGV[1] then return {2, 0} end
          redis.call('HSET', KEYS[1], 'expires', ARGV[3], 'use_case', ARGV[4], 'scopes', ARGV[5])
          redis.call('HSETNX', KEYS[1], 'origin', ARGV[7])
          result = 1
        else
          redis.call('HSET', KEYS[1], 'account', ARGV[1], 'type', ARGV[2], 'expires', ARGV[3],
            'use_case', ARGV[4], 'scopes', ARGV[5], 'created', ARGV[6], 'disabled', '0', 'origin', ARGV[7])
          result = 0
        end
        redis.call('ZADD', KEYS[2], 0, ARGV[#ARGV])
        """ + "\n" + Notify;

    /// <summary>
    /// KEYS: record, account index, generation. ARGV: account, type, expires, use case, scopes JSON,
    /// created, origin, now, most live keys, channel, hex. Registers only a key that does not exist,
    /// and only while the account has fewer live (not disabled, not expired at <c>now</c>) keys than
    /// the limit: the count and the insert are one atomic step, so concurrent grants cannot overshoot.
    /// Answers 4 (already registered) / 5 (too many keys) besides the results of <see cref="Register"/>.
    /// </summary>
    /// <remarks>
    /// The account's key records are read by names built inside the script from the index members
    /// (the record key with its 64-digit hex replaced). They are not passed in KEYS because the set is
    /// only known inside the atomic step; every one of them carries the directory's <c>{keys}</c> hash
    /// tag, so they live in the same cluster slot as the declared keys (checked on a real cluster by
    /// ClusterSlotTests). The loop is bounded by the account's registered keys, which only operators and
    /// verified grants (at most the limit of live ones each) create.
    /// </remarks>
    public const string RegisterNew = """
        local existing = redis.call('HMGET', KEYS[1], 'account', 'disabled')
        if existing[1] then
          if existing[2] == '1' then return {3, 0} end
          if existing[1] ~= ARGV[1] then return {2, 0} end
          return {4, 0}
        end
        local now = tonumber(ARGV[8])
        local most = tonumber(ARGV[9])
        local base = string.sub(KEYS[1], 1, #KEYS[1] - 64)
        local live = 0
        for _, hex in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
          local fields = redis.call('HMGET', base .. hex, 'disabled', 'expires')
          if fields[1] == '0' and (tonumber(fields[2]) or 0) > now then
            live = live + 1
            if live >= most then return {5, 0} end
          end
        end
        redis.call('HSET', KEYS[1], 'account', ARGV[1], 'type', ARGV[2], 'expires', ARGV[3],
          'use_case', ARGV[4], 'scopes', ARGV[5], 'created', ARGV[6], 'disabled', '0', 'origin', ARGV[7])
        redis.call('ZADD', KEYS[2], 0, ARGV[#ARGV])
        local result = 0
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
