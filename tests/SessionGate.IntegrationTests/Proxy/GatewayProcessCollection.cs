namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// The tests that start real <c>sessiongate</c> (and redis-server) processes run one class at a time,
/// after every parallel test: starting .NET processes on a small CI machine slows other tests' Redis
/// round trips (250–300 ms budgets) past their timeouts. They share one gateway (<see cref="ProxyGatewayFixture"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GatewayProcessCollection : ICollectionFixture<ProxyGatewayFixture>
{
    public const string Name = "Gateway processes";
}
