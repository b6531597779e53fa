using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace SessionGate.Benchmarks.Pipeline;

/// <summary>
/// `SessionGate.Benchmarks alloc-types [requests]`: which types SessionGate's request path allocates.
/// Runs the same reused-header requests through the bare and the SessionGate pipelines of
/// <see cref="RequestPipelineBenchmarks"/> and samples the runtime's AllocationTick events (one per
/// ~100 KB allocated, naming the type that crossed the mark) with an in-process EventListener, so each
/// type's share of the ticks estimates its share of the bytes. Prints, per type, estimated bytes per
/// request in each pipeline and the difference — the list to work down for issue 16's ≤ 200 B target.
/// </summary>
internal static class AllocationTypes
{
    public static async Task<int> RunAsync(string[] args)
    {
        int requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var benchmarks = new RequestPipelineBenchmarks();
        await benchmarks.SetupAsync();
        try
        {
            Dictionary<string, double> bare = await SampleAsync(benchmarks.Bare, requests);
            Dictionary<string, double> inMemory = await SampleAsync(benchmarks.SessionGateInMemory, requests);
            Dictionary<string, double> redis = await SampleAsync(benchmarks.SessionGateRedisLeased, requests);
            Console.WriteLine($"{"type",-90} {"bare",8} {"in-mem",8} {"redis",8} {"added",8}  (estimated bytes/request)");
            foreach (string type in bare.Keys.Union(inMemory.Keys).Union(redis.Keys)
                .OrderByDescending(t => inMemory.GetValueOrDefault(t) - bare.GetValueOrDefault(t)))
            {
                double b = bare.GetValueOrDefault(type), m = inMemory.GetValueOrDefault(type), r = redis.GetValueOrDefault(type);
                if (Math.Max(Math.Max(b, m), r) >= 4)
                {
                    Console.WriteLine($"{Shorten(type),-90} {b,8:F0} {m,8:F0} {r,8:F0} {m - b,8:F0}");
                }
            }

            Console.WriteLine($"{"total",-90} {bare.Values.Sum(),8:F0} {inMemory.Values.Sum(),8:F0} {redis.Values.Sum(),8:F0} {inMemory.Values.Sum() - bare.Values.Sum(),8:F0}");
        }
        finally
        {
            await benchmarks.CleanupAsync();
        }

        return 0;
    }

    private static string Shorten(string type) => type.Length <= 90 ? type : type[..87] + "...";

    private static async Task<Dictionary<string, double>> SampleAsync(Func<Task<int>> send, int requests)
    {
        for (int i = 0; i < 20_000; i++)
        {
            await send();
        }

        using var listener = new AllocationTickListener();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < requests; i++)
        {
            await send();
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        listener.Dispose();
        long ticks = listener.Ticks.Values.Sum();
        return listener.Ticks.ToDictionary(p => p.Key, p => ticks == 0 ? 0 : (double)p.Value / ticks * allocated / requests);
    }

    private sealed class AllocationTickListener : EventListener
    {
        public ConcurrentDictionary<string, long> Ticks { get; } = new(StringComparer.Ordinal);

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is null)
            {
                return;
            }

            int index = eventData.PayloadNames!.IndexOf("TypeName");
            string type = index >= 0 ? eventData.Payload[index] as string ?? "?" : "?";
            Ticks.AddOrUpdate(type, 1, (_, n) => n + 1);
        }
    }
}
