using System.Runtime.CompilerServices;

namespace SessionGate.IntegrationTests.Keys;

/// <summary>
/// Raises the thread pool's minimum for this test assembly. StackExchange.Redis 1.2.6 completes socket
/// reads on thread-pool threads; on a 2-core machine the pool starts with 2 workers and adds about one
/// per 0.5 s under load, so when the integration classes start their redis-servers and ~20 connections
/// at once, replies sat unread in socket buffers past the 300 ms operation timeouts (measured: 8 of 30
/// full runs had a timeout, including Infrastructure/RedisServerTests; 0 of 30 with this). Production
/// hosts on this client version want the same setting. Belongs in Infrastructure/ (this change could
/// not touch that folder); it applies to the whole assembly wherever it lives.
/// </summary>
internal static class RedisClientThreadPool
{
    [ModuleInitializer]
    internal static void RaiseMinimumThreads()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(completionPorts, 64));
    }
}
