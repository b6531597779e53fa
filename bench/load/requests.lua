-- wrk script of bench/load/run.sh. Parameters come from the environment (wrk hands script
-- arguments only to init(), but whether delay() exists must be known when the script loads):
--   LOAD_HEADERS   file of kira_session header values, one per line (required)
--   LOAD_MODE      "cycle": every thread sends all values in turn, reusing them (cached verdicts);
--                  "once":  thread i of n sends lines i, i+n, …, each once (every request verifies);
--                           running out counts as "reused" and run.sh then fails the run
--   LOAD_THREADS   wrk's -t (to split the lines in "once" mode, and the rate between threads)
--   LOAD_RATE      > 0: pace the run at this many requests/s in total (see delay() below)
-- Prints one "RESULT key=value …" line with throughput, latency percentiles and status counts.

local rate = tonumber(os.getenv("LOAD_RATE") or "0")
if rate > 0 then
  -- Pacing on a fixed schedule (wrk has no rate option; wrk2 is not packaged by Debian): each thread
  -- hands out send times start, start + 1/r, start + 2/r, … (r = its share of LOAD_RATE) to whichever
  -- of its connections asks next, and delay() waits until that time. The schedule is absolute, so
  -- rounding to wrk's whole milliseconds does not drift the rate. Limit: wrk times a request from
  -- when it is sent, so a request that waited for a free connection does not count the wait
  -- (coordinated omission); with enough idle connections at half load that wait stays rare.
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } load_timespec;
    int clock_gettime(int clock_id, load_timespec *tp);
  ]]
  local now = ffi.new("load_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, now)  -- CLOCK_MONOTONIC
    return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
  end

  function delay()
    local t = now_ms()
    if schedule_start == nil then
      schedule_start = t
      slot = 0
      interval_ms = 1000 * tonumber(os.getenv("LOAD_THREADS") or "1") / rate
    end
    local due = schedule_start + slot * interval_ms
    slot = slot + 1
    if due <= t then
      return 0
    end
    return math.floor(due - t + 0.5)
  end
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local file = os.getenv("LOAD_HEADERS") or error("LOAD_HEADERS is not set")
  local once = (os.getenv("LOAD_MODE") or "cycle") == "once"
  local nthreads = tonumber(os.getenv("LOAD_THREADS") or "1")

  -- Requests are formatted once here, so request() costs a table lookup (wrk's advice).
  requests = {}
  local headers = { ["kira_session"] = "" }
  local line_number = 0
  for line in io.lines(file) do
    if line ~= "" and (not once or line_number % nthreads == id) then
      headers["kira_session"] = line
      requests[#requests + 1] = wrk.format(nil, nil, headers)
    end
    line_number = line_number + 1
  end
  if #requests == 0 then
    error("no header values for thread " .. id .. " in " .. file)
  end

  reuse_counts = once
  sent = 0
  count = #requests
  -- Cycling threads start at different places, so they do not send the same value at the same time.
  position = once and 1 or ((id * 7919) % count) + 1
  reused = 0
  s2xx, s401, s403, s429, s4xx, s5xx, sother = 0, 0, 0, 0, 0, 0, 0
end

function request()
  sent = sent + 1
  if reuse_counts and sent > count then
    reused = reused + 1
  end
  local r = requests[position]
  position = position % count + 1
  return r
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    s2xx = s2xx + 1
  elseif status == 401 then
    s401 = s401 + 1
  elseif status == 403 then
    s403 = s403 + 1
  elseif status == 429 then
    s429 = s429 + 1
  elseif status >= 400 and status < 500 then
    s4xx = s4xx + 1
  elseif status >= 500 and status < 600 then
    s5xx = s5xx + 1
  else
    sother = sother + 1
  end
end

function done(summary, latency, requests)
  local totals = { s2xx = 0, s401 = 0, s403 = 0, s429 = 0, s4xx = 0, s5xx = 0, sother = 0, reused = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f " ..
    "s2xx=%d s401=%d s403=%d s429=%d s4xx=%d s5xx=%d sother=%d reused=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    totals.s2xx, totals.s401, totals.s403, totals.s429, totals.s4xx, totals.s5xx, totals.sother, totals.reused,
    e.connect, e.read, e.write, e.timeout, e.status))
end
