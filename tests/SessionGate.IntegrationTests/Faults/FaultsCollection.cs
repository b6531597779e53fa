namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// The fault-injection suite (docs/RELIABILITY.md) runs one class at a time and after every parallel
/// test: it measures latencies and resident memory of a real gateway process, which other tests
/// competing for this machine's two cores would distort.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "Fault injection";
}
