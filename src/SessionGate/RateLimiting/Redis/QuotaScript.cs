using System.Security.Cryptography;
using System.Text;

namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// The one Lua script Redis decisions run (one EVALSHA, one round trip, for one decision or for a
/// batch of concurrent ones, see <see cref="QuotaBatcher"/>): <c>decide</c> is a line-by-line mirror
/// of <see cref="Quotas.QuotaMath.Decide"/>, deciding the rate bucket and the daily budget atomically
/// with Redis's own clock (<c>TIME</c>, read once per call), so instances with skewed clocks still
/// agree. Decisions of one call run one after the other inside the script: exactly as if sent one by one.
/// </summary>
/// <remarks>
/// <para>KEYS[1] <c>…{partition}:rate</c>: string, the theoretical arrival time in Unix µs; expires
/// (PEXPIREAT) the instant the bucket is full again. KEYS[2] <c>…{partition}:day</c>: hash <c>d</c>
/// (UTC day number), <c>u</c> (units used that day); expires at the day's end. Both keys of a decision carry one
/// hash tag (the partition, or an anonymous partition's day bucket: <see cref="QuotaKeyLayout"/>), so they
/// share a Redis Cluster slot. A missing key means "full bucket,
/// nothing used", so idle partitions vanish without changing any decision. Expiry is an absolute
/// instant of the script's own clock, so with a test clock in the future keys live as long as that
/// clock says (a relative expiry would run on Redis's real clock and drop them mid-scenario).</para>
/// <para>KEYS come in pairs, one pair per decision. ARGV[1]: empty (use <c>TIME</c>) or — for tests
/// only, never sent by the product — an explicit "now" in Unix µs; then nine per decision: emission
/// interval µs, capacity µs, daily quota (0 = none), cost, commit (1) or peek (0), block (extra units
/// to lease after an allowed commit, 0 = none), then a give-back of an earlier lease (units, 0 = none;
/// the lease's slot end µs; its UTC day, -1 = no daily budget) applied before the decision. The
/// answer is ten integers per decision, in order.</para>
/// <para>Leases (<see cref="PermitLeases"/>): an allowed commit with a block takes the cost exactly
/// as without, then up to <c>block</c> more units that both budgets still hold (what is there, never
/// a refusal). <c>give_back</c> (mirror: <see cref="LeaseMath.GiveBack"/>) moves the TAT back by the
/// returned units that the bucket has not already refilled — the block occupied the TAT span ending
/// at its slot end, and only the part of that span still in the future is credited — never below
/// now, and lowers the day's usage by the units if the lease was taken today.</para>
/// <para>Returns <c>{allowed, rejection, remaining, reset µs, retry-after µs, daily remaining,
/// daily reset µs, granted, slot end µs, day}</c> as integers (daily fields -1 without a daily budget):
/// a <see cref="Quotas.QuotaVerdict"/> and the lease part of a <see cref="LeaseVerdict"/>. Remaining,
/// reset and daily remaining describe the state after the granted block was taken.</para>
/// <para>Lua numbers are doubles: every value stays an integer below 2^53 (see
/// <see cref="Quotas.GcraLimits"/>), divisions go through <c>fdiv</c>, which corrects the rounding
/// of <c>a / b</c> to an exact floor, and numbers reach Redis through <c>string.format('%d')</c>
/// (Lua's own tostring keeps only 14 digits).</para>
/// <para><c>redis.replicate_commands()</c> lets Redis before 5 replicate the writes of a script that
/// read <c>TIME</c>; Redis 5 and later replicate effects anyway and treat the call as a no-op.
/// <c>HMSET</c> instead of multi-field <c>HSET</c> keeps Redis 3.2/4 working.</para>
/// </remarks>
internal static class QuotaScript
{
    /// <summary>The script text.</summary>
    public const string Text = """
        if redis.replicate_commands then redis.replicate_commands() end
        local DAY = 86400000000
        local function fdiv(a, b)
          local q = math.floor(a / b)
          if q * b > a then q = q - 1 elseif (q + 1) * b <= a then q = q + 1 end
          return q
        end
        local function int(n) return string.format('%d', n) end

        local function give_back(rate_key, day_key, interval, units, slot_end, lease_day, now)
          local tat = tonumber(redis.call('GET', rate_key))
          if tat and tat > now then
            local from = slot_end - units * interval
            if from < now then from = now end
            if slot_end > from then
              local new_tat = tat - fdiv(slot_end - from, interval) * interval
              if new_tat < now then new_tat = now end
              redis.call('SET', rate_key, int(new_tat))
              redis.call('PEXPIREAT', rate_key, int(fdiv(new_tat, 1000) + 1))
            end
          end
          if lease_day >= 0 and lease_day == fdiv(now, DAY) then
            local stored = redis.call('HMGET', day_key, 'd', 'u')
            if tonumber(stored[1]) == lease_day then
              local u = (tonumber(stored[2]) or 0) - units
              if u < 0 then u = 0 end
              redis.call('HMSET', day_key, 'u', int(u))
            end
          end
        end

        local function decide(rate_key, day_key, interval, capacity, daily, cost, commit, block, now)
          local tat = tonumber(redis.call('GET', rate_key)) or now
          if tat < now then tat = now end
          local wait = tat - now
          local tokens = 0
          if wait < capacity then tokens = fdiv(capacity - wait, interval) end
          local rate_ok = true
          local rate_reset = 0
          local need = cost * interval
          if need > capacity then
            rate_ok = false
            rate_reset = capacity
          elseif wait + need > capacity then
            rate_ok = false
            rate_reset = wait + need - capacity
          end

          local day = fdiv(now, DAY)
          local daily_reset = (day + 1) * DAY - now
          local used = 0
          local daily_ok = true
          if daily > 0 then
            local stored = redis.call('HMGET', day_key, 'd', 'u')
            if tonumber(stored[1]) == day then used = tonumber(stored[2]) or 0 end
            daily_ok = used + cost <= daily
          end

          if rate_ok and daily_ok and commit then
            local new_wait = wait + need
            local granted = 0
            if block > 0 then
              granted = fdiv(capacity - new_wait, interval)
              if granted > block then granted = block end
              if daily > 0 and daily - used - cost < granted then granted = daily - used - cost end
              new_wait = new_wait + granted * interval
            end
            local new_tat = now + new_wait
            redis.call('SET', rate_key, int(new_tat))
            redis.call('PEXPIREAT', rate_key, int(fdiv(new_tat, 1000) + 1))
            local daily_left = -1
            local daily_reset_out = -1
            if daily > 0 then
              redis.call('HMSET', day_key, 'd', int(day), 'u', int(used + cost + granted))
              redis.call('PEXPIREAT', day_key, int(fdiv(now + daily_reset, 1000) + 1))
              daily_left = daily - used - cost - granted
              daily_reset_out = daily_reset
            end
            return {1, 0, fdiv(capacity - new_wait, interval), new_wait, 0, daily_left, daily_reset_out, granted, new_tat, day}
          end

          local rejection = 0
          local reset = wait
          local retry = 0
          if not rate_ok then
            rejection = 1
            reset = rate_reset
            retry = rate_reset
          end
          if not daily_ok then
            rejection = 2
            if daily_reset > retry then retry = daily_reset end
          end
          local allowed = 0
          if rate_ok and daily_ok then allowed = 1 end
          local daily_left = -1
          local daily_reset_out = -1
          if daily > 0 then
            daily_left = daily - used
            if daily_left < 0 then daily_left = 0 end
            daily_reset_out = daily_reset
          end
          return {allowed, rejection, tokens, reset, retry, daily_left, daily_reset_out, 0, 0, day}
        end

        local now
        if ARGV[1] ~= '' then
          now = tonumber(ARGV[1])
        else
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        end
        local out = {}
        for i = 0, #KEYS / 2 - 1 do
          local a = 2 + i * 9
          local rate_key, day_key, interval = KEYS[i * 2 + 1], KEYS[i * 2 + 2], tonumber(ARGV[a])
          local returned = tonumber(ARGV[a + 6])
          if returned > 0 then
            give_back(rate_key, day_key, interval, returned, tonumber(ARGV[a + 7]), tonumber(ARGV[a + 8]), now)
          end
          local r = decide(rate_key, day_key, interval, tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]),
            tonumber(ARGV[a + 3]), ARGV[a + 4] == '1', tonumber(ARGV[a + 5]), now)
          for j = 1, 10 do out[#out + 1] = r[j] end
        end
        return out
        """;

    /// <summary>ARGV entries per decision (after the clock): interval, capacity, daily quota, cost, commit, block, returned units, returned slot end, returned day.</summary>
    public const int ArgumentsPerDecision = 9;

    /// <summary>Integers answered per decision: a <see cref="Quotas.QuotaVerdict"/>'s seven, then granted block, slot end, UTC day.</summary>
    public const int ResultsPerDecision = 10;

    /// <summary>SHA-1 of <see cref="Text"/>, what EVALSHA names it by (20 raw bytes).</summary>
    public static readonly byte[] Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Text));
}
