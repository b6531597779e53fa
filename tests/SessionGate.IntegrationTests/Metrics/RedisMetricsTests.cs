using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.Metrics;

/// <summary>
/// <c>sessiongate.redis.operations</c> on a real redis-server: it counts the commands the client sent,
/// so a script call counts once however many commands it runs inside Redis, and there is no
/// measurement before the connection is open.
/// </summary>
public sealed class RedisMetricsTests
{
    [Fact]
    public async Task Operations_CountCommandsSent_AScriptCallOnce()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        string prefix = $"test-{Guid.NewGuid():N}:";
        await using RedisConnection connection = await redis.ConnectAsync(prefix);
        using var metrics = new RedisMetrics(connection, meterFactory: null);
        using var sent = new MetricCollector<long>(metrics.Meter, RedisMetrics.OperationsName);
        var hash = new HashIncrements(connection.Key("metrics-test"));
        for (int i = 0; i < HashIncrementWriter.MaxFieldsPerCall; i++)
        {
            hash.Add("f" + i, 1);
        }

        var writer = new HashIncrementWriter(connection, NullLogger.Instance);
        await connection.RunAsync(db => writer.WriteAsync(db, [hash], TimeSpan.FromMinutes(1)));   // loads the script (NOSCRIPT, EVAL)

        long before = Observe(sent);
        for (int i = 0; i < 10; i++)
        {
            await connection.Database.StringSetAsync(connection.Key("metrics-test:" + i), i);
        }

        long afterTen = Observe(sent);
        await connection.RunAsync(db => writer.WriteAsync(db, [hash], TimeSpan.FromMinutes(1)));
        long afterScript = Observe(sent);

        // A heartbeat of the client may fall in between: a little slack, far below the 250 HINCRBY run.
        Assert.InRange(afterTen - before, 10, 12);
        Assert.InRange(afterScript - afterTen, 1, 3);
        Assert.Equal(2, (long)await connection.Database.HashGetAsync(hash.Key, "f0"));
    }

    [Fact]
    public void Operations_NotConnectedYet_NoMeasurement()
    {
        var connection = new RedisConnection(new RedisOptions { Configuration = "127.0.0.1:1" });
        using var metrics = new RedisMetrics(connection, meterFactory: null);
        using var sent = new MetricCollector<long>(metrics.Meter, RedisMetrics.OperationsName);

        sent.RecordObservableInstruments();

        Assert.Empty(sent.GetMeasurementSnapshot());
    }

    private static long Observe(MetricCollector<long> collector)
    {
        collector.RecordObservableInstruments();
        return collector.LastMeasurement!.Value;
    }
}
