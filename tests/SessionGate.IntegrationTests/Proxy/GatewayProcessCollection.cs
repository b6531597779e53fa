namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// The tests that start real <c>sessiongate</c> (and redis-server) processes run one class at a time:
/// starting several .NET processes at once on a small CI machine slows every other test's Redis
/// round trips past their timeouts. They share one gateway (<see cref="ProxyGatewayFixture"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class GatewayProcessCollection : ICollectionFixture<ProxyGatewayFixture>
{
    public const string Name = "Gateway processes";
}
