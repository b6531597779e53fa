using System.Diagnostics.Metrics;
using SessionGate.Diagnostics;

namespace SessionGate.Storage.Redis;

/// <summary>
/// The Redis connection's instrument on the <c>SessionGate</c> meter: commands this instance sent,
/// counted by the client (StackExchange.Redis's <c>OperationCount</c>, read when a listener collects).
/// Unlike Redis's <c>INFO commandstats</c>, which also counts every command a script runs inside Redis,
/// this counts a script call (EVALSHA) as the one command it is on the wire, so it shows what the
/// gateway costs Redis in round trips. It includes the client's own housekeeping (heartbeats, cluster
/// and server discovery) and, with an application's multiplexer (<c>.AddRedis(IConnectionMultiplexer)</c>),
/// the application's commands too. No measurement until the connection is open.
/// </summary>
internal sealed class RedisMetrics : IDisposable
{
    /// <summary>Commands sent to Redis by this instance's client, as StackExchange.Redis counts them.</summary>
    public const string OperationsName = "sessiongate.redis.operations";

    private readonly SessionGateMeterHandle _meter;

    public RedisMetrics(RedisConnection connection, IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _meter = new SessionGateMeterHandle(meterFactory);
        _meter.Meter.CreateObservableCounter(
            OperationsName,
            () => connection.TryGetMultiplexer() is { } multiplexer ? [new Measurement<long>(multiplexer.OperationCount)] : Array.Empty<Measurement<long>>(),
            "{command}",
            "Commands sent to Redis by this instance (a script call counts once, whatever it runs inside Redis).");
    }

    /// <summary>The meter (tests listen to this instance only).</summary>
    public Meter Meter => _meter.Meter;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
