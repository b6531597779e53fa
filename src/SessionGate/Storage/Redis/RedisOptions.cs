namespace SessionGate.Storage.Redis;

/// <summary>How SessionGate talks to Redis (or Redis Cluster).</summary>
public sealed record RedisOptions
{
    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>host1:7000,host2:7001</c>.</summary>
    public required string Configuration { get; init; }

    /// <summary>
    /// Upper bound on any single Redis operation. Requests never wait longer than this on a slow or
    /// dead Redis (the client library's own async operations have no timeout). Default 250 ms.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Prefix of every key SessionGate writes, so several deployments can share one Redis. Default <c>sessiongate:</c>.</summary>
    public string KeyPrefix { get; init; } = "sessiongate:";
}
