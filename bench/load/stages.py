#!/usr/bin/env python3
"""Helper of bench/load/profile.sh (issue 12, "Measure first").

  stages.py counters COUNTERS.csv
      dotnet-counters CSV -> KEY=VALUE lines: CPU µs/request, bytes allocated/request, GCs and exceptions
      per 1,000 requests, over the seconds in which the gateway served load (the first and last loaded
      second are dropped: wrk starts and stops inside them).
  stages.py stages TRACE.speedscope.json|- SUMMARY.env
      speedscope JSON of a Microsoft-DotNETCore-SampleProfiler trace -> Markdown: the per-stage table and
      the top self-time methods, scaled to the CPU µs/request measured in phase 1 (SUMMARY.env).
  stages.py blocked TRACE.speedscope.json
      sampled-thread-time trace -> the thread-pool work items that stayed in one stack for >= 200 ms
      (bench/load/outliers.sh: what blocked the test process's thread pool). A thread that loops through
      one blocking call (a Sleep or poll loop) shows as one long segment too: read the frames.

How samples become stages. The sample profiler records every managed thread's stack about once a
millisecond, whether the thread runs or waits. A sample is
  * idle when the thread is blocked (its stack ends in native code under a wait: the thread pool's
    semaphore WaitNative, Monitor.Wait, WaitHandle.Wait, epoll_wait in SocketAsyncEngine, Thread.Sleep,
    ...): such samples are dropped;
  * "thread pool: idle workers spinning" when a worker with no work spins in LowLevelLifoSemaphore
    before blocking (native spin-wait, it burns CPU but serves no request);
  * otherwise busy, and charged to the innermost *owner* frame on its stack: the pipeline component whose
    code it is (Kestrel, routing, SessionGate's middleware, the rate limiter, YARP, the HTTP client, the
    Redis client, logging, metrics, ...). Library frames (CoreLib, Microsoft.AspNetCore.Http, System.Text.Json,
    System.Net.Sockets, pipelines, ...) are charged to the component that called them, so socket
    send/recv and allocation (and gen0 GCs it triggers) count where they are done.
Stage µs/request = the stage's share of busy samples × the gateway's CPU µs/request (phase 1). Thread
samples are wall-clock, so a runnable thread waiting for a core counts as busy: the shares are estimates.
"""
import collections
import csv
import json
import re
import sys

# --- counters ---------------------------------------------------------------------------------------

def counters(path):
    series = collections.defaultdict(dict)  # name -> {timestamp: value}
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            try:
                series[row['Counter Name']][row['Timestamp']] = float(row['Mean/Increment'])
            except (KeyError, ValueError):
                continue
    req = series.get('Request Rate (Count / 1 sec)', {})
    loaded = sorted((t for t, v in req.items() if v > 0), key=lambda t: list(req).index(t))
    if len(loaded) >= 4:
        peak = sorted(req[t] for t in loaded)[len(loaded) // 2]
        loaded = [t for t in loaded if req[t] >= 0.3 * peak][1:-1]
    n = sum(req[t] for t in loaded)

    def total(*names):
        return sum(series.get(name, {}).get(t, 0.0) for name in names for t in loaded)

    def find(prefix):
        return [name for name in series if name.startswith(prefix)]

    out = {'counters_seconds': len(loaded), 'counters_requests': int(n)}
    if n > 0:
        out['counters_rps'] = int(n / len(loaded))
        out['counters_cpu_us_per_req'] = '%.1f' % (total(*find('dotnet.process.cpu.time')) * 1e6 / n)
        out['counters_cpu_user_us_per_req'] = '%.1f' % (total(*find('dotnet.process.cpu.time (s / 1 sec)[cpu.mode=user]')) * 1e6 / n)
        out['alloc_bytes_per_req'] = '%.0f' % (total(*find('dotnet.gc.heap.total_allocated')) / n)
        for g in ('gen0', 'gen1', 'gen2'):
            out[g + '_per_1k_req'] = '%.3f' % (total(*[x for x in find('dotnet.gc.collections') if g in x]) * 1000 / n)
        out['gc_pause_us_per_req'] = '%.2f' % (total(*find('dotnet.gc.pause.time')) * 1e6 / n)
        out['exceptions_per_1k_req'] = '%.3f' % (total(*find('dotnet.exceptions')) * 1000 / n)
        out['lock_contentions_per_1k_req'] = '%.3f' % (total(*find('dotnet.monitor.lock_contentions')) * 1000 / n)
        out['threadpool_items_per_req'] = '%.2f' % (total(*find('dotnet.thread_pool.work_item.count')) / n)
        out['jit_ms_in_window'] = '%.1f' % (total(*find('dotnet.jit.compilation.time')) * 1e3)
        tc = [series[x][t] for x in find('dotnet.thread_pool.thread.count') for t in loaded if t in series[x]]
        if tc:
            out['threadpool_threads'] = '%.0f' % (sum(tc) / len(tc))
    for k, v in out.items():
        print('%s=%s' % (k, v))


# --- stages -------------------------------------------------------------------------------------------

# Owner frames, most specific first: (stage, regex on "Namespace.Type.Method" without the module).
OWNERS = [
    ('logging', r'^Microsoft\.Extensions\.Logging|^SessionGate\..*\bLog\.|LoggerMessage'),
    ('metrics / tracing (Meter, Activity, EventSource)',
     r'^System\.Diagnostics\.Metrics|^System\.Diagnostics\.Activity|^System\.Diagnostics\.DiagnosticListener|'
     r'^System\.Diagnostics\.DiagnosticSource|^System\.Diagnostics\.Tracing|^Microsoft\.AspNetCore\.Hosting\.HostingMetrics|'
     r'^Microsoft\.AspNetCore\.Hosting\.HostingApplicationDiagnostics|^System\.Net\.Http\.Metrics|'
     r'^System\.Net\.Http\.DiagnosticsHandler|^System\.Net\.Http\.HttpTelemetry|^System\.Net\.Sockets\.SocketsTelemetry|'
     r'^Microsoft\.AspNetCore\.Server\.Kestrel\.Core\.Internal\.Infrastructure\.KestrelMetrics|'
     r'^Microsoft\.AspNetCore\.RateLimiting\.RateLimitingMetrics|^Microsoft\.AspNetCore\.Routing\.RoutingMetrics|'
     r'^Yarp\.ReverseProxy\..*Telemetry|^SessionGate\.Metrics|^SessionGate\..*Metrics\b'),
    ('Redis client (StackExchange.Redis)', r'^StackExchange\.Redis|^Pipelines\.Sockets\.Unofficial'),
    ('SessionGate rate limiter: Redis store', r'^SessionGate\.RateLimiting\.Redis|^SessionGate\.Storage\.Redis'),
    ('SessionGate rate limiter: quotas', r'^SessionGate\.RateLimiting\.Quotas'),
    ('SessionGate rate limiter: tiers', r'^SessionGate\.RateLimiting\.Tiers|^SessionGate\.Balances'),
    ('SessionGate rate limiter: SessionGateRateLimiter, policy, lease', r'^SessionGate\.RateLimiting'),
    ('SessionGate usage counters', r'^SessionGate\.Usage'),
    ('ASP.NET rate limiting (RateLimitingMiddleware, System.Threading.RateLimiting)',
     r'^Microsoft\.AspNetCore\.RateLimiting|^System\.Threading\.RateLimiting'),
    ('SessionGate middleware: header parse', r'^SessionGate\.Protocol|^SessionGate\.Hosting\.SessionHeaderDecoding'),
    ('SessionGate middleware: verdict cache', r'^SessionGate\.Caching|^SessionGate\.Verification\..*Cache'),
    ('SessionGate middleware: verifier (signature, block, keys)',
     r'^SessionGate\.Verification|^SessionGate\.Crypto|^SessionGate\.Chain|^SessionGate\.Keys'),
    ('SessionGate middleware: SessionGateMiddleware itself (claims, feature, problems)',
     r'^SessionGate\.Authentication|^SessionGate\.Endpoints|^SessionGate\.Configuration|^SessionGate\.DependencyInjection'),
    ('SessionGate identity headers (YARP transform)', r'^SessionGate\.Proxy\.Gateway\.Identity'),
    ('SessionGate other', r'^SessionGate\.'),
    ('authentication / authorization', r'^Microsoft\.AspNetCore\.Authentication|^Microsoft\.AspNetCore\.Authorization|^System\.Security\.Claims'),
    ('routing', r'^Microsoft\.AspNetCore\.Routing'),
    ('YARP forwarder (HttpForwarder, transforms, pipeline)', r'^Yarp\.|^Microsoft\.AspNetCore\.Http\.HttpContextFeaturesExtensions\.GetReverseProxyFeature'),
    ('HTTP client to upstream (SocketsHttpHandler)', r'^System\.Net\.Http'),
    ('Kestrel / HTTP server (parsing, response, hosting)',
     r'^Microsoft\.AspNetCore\.Server\.Kestrel|^Microsoft\.AspNetCore\.Hosting|^Microsoft\.AspNetCore\.Builder|'
     r'^Microsoft\.AspNetCore\.HostFiltering|^Microsoft\.AspNetCore\.Diagnostics'),
]
OWNERS = [(stage, re.compile(rx)) for stage, rx in OWNERS]
FALLBACK = [  # when no owner frame is on the stack
    ('socket engine (epoll thread, I/O completions)', re.compile(r'^System\.Net\.Sockets')),
    ('GC / finalizer thread', re.compile(r'^System\.GC\.|Finalizer')),
    ('timers', re.compile(r'^System\.Threading\.TimerQueue')),
    ('thread pool / async plumbing (no component on the stack)', re.compile(r'^System\.Threading|^System\.Runtime\.CompilerServices')),
]
IDLE = re.compile(r'LowLevelLifoSemaphore\.WaitNative|^System\.Threading\.Monitor\.Wait|WaitHandle\.WaitOne|'
                  r'WaitHandle\.WaitMultiple|WaitSubsystem|LowLevelMonitor\.Wait|Interop\+Sys\.WaitForSocketEvents|'
                  r'^System\.Threading\.Thread\.Sleep|FileSystemWatcher|ConsoleLoggerProcessor\.ProcessLogQueue|'
                  r'Interop\+Sys\.Read\(|Interop\+Sys\.Poll|PortableThreadPool\+GateThread|CounterGroup\.PollForValues|'
                  r'WaitHandle\.WaitOneNoCheck|SemaphoreSlim\.Wait\(|ManualResetEventSlim\.Wait\(')
SPIN = re.compile(r'LowLevelLifoSemaphore\.(Wait|WaitForSignal|SpinWait)')
PSEUDO = {'CPU_TIME', 'UNMANAGED_CODE_TIME', '?', '(Non-Activities)', 'Threads', 'Missing Symbol'}
ARTIFACT = re.compile(r'PollGCWorker|^System\.Threading\.Thread\.PollGC|^\?$')


def method(name):
    return name.split('!', 1)[1] if '!' in name else name


def stages(trace, summary_path):
    summary = {}
    with open(summary_path) as f:
        for line in f:
            if '=' in line:
                k, v = line.rstrip('\n').split('=', 1)
                summary[k] = v.strip("'")
    cpu = float(summary.get('counters_cpu_us_per_req') or summary.get('proc_cpu_us_per_req') or 0)
    s = summary.get('scenario', '?')
    print('### %s: %s req/s, %s CPU µs/request, %s bytes allocated/request' % (
        s, summary.get('rps', '?'), summary.get('counters_cpu_us_per_req', summary.get('proc_cpu_us_per_req', '?')),
        summary.get('alloc_bytes_per_req', '?')))
    print()
    print('Code %s (%s); %s; %s connections, %s; %s s measured after %s s warm-up%s; JIT in the window %s ms.' % (
        summary.get('commit'), summary.get('tree'), summary.get('cpu_model'), summary.get('connections'),
        'saturation' if summary.get('rate') == '0' else 'paced at %s req/s' % summary.get('rate'), summary.get('duration'),
        summary.get('warmup', '?'), '; gateway env: ' + summary['gateway_env'] if summary.get('gateway_env') else '',
        summary.get('jit_ms_in_window', '?')))
    print('Counters (phase 1): CPU %s µs/req (user %s; /proc: %s), %s B allocated/req, gen0/gen1/gen2 GCs per 1k req %s/%s/%s, '
          'GC pause %s µs/req, exceptions per 1k req %s, lock contentions per 1k req %s, thread-pool work items/req %s, '
          'threads in the process %s, p50 %s µs, p99 %s µs, gateway %s cores.' % tuple(summary.get(k, '?') for k in (
              'counters_cpu_us_per_req', 'counters_cpu_user_us_per_req', 'proc_cpu_us_per_req', 'alloc_bytes_per_req',
              'gen0_per_1k_req', 'gen1_per_1k_req', 'gen2_per_1k_req', 'gc_pause_us_per_req', 'exceptions_per_1k_req',
              'lock_contentions_per_1k_req', 'threadpool_items_per_req', 'gateway_threads', 'p50_us', 'p99_us', 'gateway_cores')))
    print()
    if trace == '-':
        return
    d = json.load(open(trace))
    frames = [method(f['name']) for f in d['shared']['frames']]
    stage_of_frame = {}

    def owner(i):
        if i not in stage_of_frame:
            name = frames[i]
            stage_of_frame[i] = next((st for st, rx in OWNERS if rx.search(name)), None)
        return stage_of_frame[i]

    by_stage = collections.Counter()
    self_time = collections.Counter()
    incl = collections.Counter()
    idle = spin = busy = 0.0
    cache = {}

    def classify(stack):
        names = [frames[i] for i in stack]
        leaf = names[-1] if names else ''
        native = leaf == 'UNMANAGED_CODE_TIME'
        if native and any(IDLE.search(n) for n in names):
            return 'idle', None, ()
        real = [i for i in stack if frames[i] not in PSEUDO and not ARTIFACT.search(frames[i])]
        if not real:
            return 'idle', None, ()
        if SPIN.search(frames[real[-1]]) or (
                re.search(r'PortableThreadPool\+WorkerThread\.WorkerThreadStart', frames[real[-1]])):
            return 'spin', None, ()  # a worker without work: spinning in the semaphore or the worker loop
        if native and re.search(r'SocketAsyncEngine\.EventLoop', frames[real[-1]]):
            return 'idle', None, ()  # epoll_wait (its interop stub has no symbol)
        stage = None
        for i in reversed(real):
            stage = owner(i)
            if stage:
                break
        if stage is None:
            for i in reversed(real):
                stage = next((st for st, rx in FALLBACK if rx.search(frames[i])), None)
                if stage:
                    break
        return 'busy', stage or 'other', (real[-1], tuple(set(real)))

    for p in d['profiles']:
        stack = []
        last = None
        for e in p['events']:
            t = e['at']
            if last is not None and stack and t > last:
                key = tuple(stack)
                if key not in cache:
                    cache[key] = classify(stack)
                kind, stage, extra = cache[key]
                dt = t - last
                if kind == 'idle':
                    idle += dt
                elif kind == 'spin':
                    spin += dt
                else:
                    busy += dt
                    by_stage[stage] += dt
                    self_time[extra[0]] += dt
                    for i in extra[1]:
                        incl[i] += dt
            last = t
            if e['type'] == 'O':
                stack.append(e['frame'])
            elif stack:
                stack.pop()
    window_ms = max((p['endValue'] - p['startValue']) for p in d['profiles'])
    requests = float(summary.get('trace_requests_in_window') or 0) or 1
    total = busy
    scale = cpu / total if total else 0  # ms of work samples -> µs/request of CPU
    print('Trace (phase 2, %.1f s, %s req/s under the tracer): busy %.0f ms, idle workers spinning %.0f ms, blocked %.0f ms of thread time; '
          'µs/request below = share of the busy (work) samples × %.1f CPU µs/request (the spinning workers are shown as thread time only: '
          'their wall-clock samples do not measure CPU, and removing the spin, DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0, did not '
          'lower CPU/request); "thread-µs" = sampled thread time per request.' % (
              window_ms / 1000, summary.get('trace_rps', '?'), busy, spin, idle, cpu))
    print()
    print('| stage | µs/request | % | thread-µs/request |')
    print('|---|---:|---:|---:|')
    for st, ms in sorted(by_stage.items(), key=lambda r: -r[1]):
        print('| %s | %.1f | %.1f%% | %.1f |' % (st, ms * scale, 100 * ms / total, ms * 1000 / requests))
    print('| **total (work)** | **%.1f** | 100%% | %.1f |' % (total * scale, total * 1000 / requests))
    print('| (not in the total: idle thread-pool workers spinning, wall-clock) | | | %.1f |' % (spin * 1000 / requests))
    print()
    print('Top 15 self-time methods (busy samples; native time such as a syscall counts in the managed method that made it):')
    print()
    print('| method | stage | µs/request | % |')
    print('|---|---|---:|---:|')
    for i, ms in self_time.most_common(15):
        st = owner(i) or next((x for x, rx in FALLBACK if rx.search(frames[i])), '(library: charged to its caller)')
        print('| `%s` | %s | %.1f | %.1f%% |' % (short(frames[i]), st, ms * scale, 100 * ms / total))
    print()
    print('Inclusive time of the main components (busy samples under the frame; nested components count in both):')
    print()
    print('| method | µs/request | % |')
    print('|---|---:|---:|')
    shown = 0
    for i, ms in incl.most_common():
        name = frames[i]
        if owner(i) is None or ms / total > 0.97:
            continue
        print('| `%s` | %.1f | %.1f%% |' % (short(name), ms * scale, 100 * ms / total))
        shown += 1
        if shown == 30:
            break
    print()


def blocked(trace, least_ms=200.0):
    """Thread-pool threads that stayed in one stack for least_ms or more while running a work item
    (a sampled-thread-time trace's speedscope export; bench/load/outliers.sh): sync-over-async, a lock,
    a blocking system call. Printed longest first, with the frames below the work item's dispatch."""
    d = json.load(open(trace))
    frames = [f['name'] for f in d['shared']['frames']]
    found = []
    for prof in d['profiles']:
        if prof.get('type') != 'evented':
            continue
        unit = 1000.0 if prof.get('unit') == 'seconds' else 1.0  # -> ms
        stack, last, seg = [], None, None  # seg: [start, end, stack] of the current constant stack
        for ev in prof['events']:
            t = ev['at'] * unit
            if last is not None and t > last:
                current = tuple(stack)
                if seg is not None and seg[2] == current and seg[1] == last:
                    seg[1] = t
                else:
                    if seg is not None:
                        found.append((seg[1] - seg[0], seg[0], prof['name'], seg[2]))
                    seg = [last, t, current]
            last = t
            if ev['type'] == 'O':
                stack.append(ev['frame'])
            elif stack:
                stack.pop()
        if seg is not None:
            found.append((seg[1] - seg[0], seg[0], prof['name'], seg[2]))
    rows = []
    for took, at, thread, st in found:
        names = [frames[i] for i in st]
        if took < least_ms or not any('ThreadPoolWorkQueue.Dispatch' in n for n in names):
            continue
        i = max(k for k, n in enumerate(names) if 'ThreadPoolWorkQueue.Dispatch' in n)
        rows.append((took, at, thread, [short(n) for n in names[i + 1:]]))
    rows.sort(reverse=True)
    print('%d thread-pool work items blocked for >= %.0f ms in %s' % (len(rows), least_ms, trace))
    for took, at, thread, names in rows[:15]:
        print('- %.0f ms at +%.2f s of the trace, %s:' % (took, at / 1000, thread))
        for n in names[-14:]:
            print('    ' + n)


def short(name):
    name = re.sub(r'\(.*\)$', '()', name)
    return name if len(name) <= 110 else name[:107] + '...'


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'counters':
        counters(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == 'blocked':
        blocked(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == 'stages':
        stages(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
