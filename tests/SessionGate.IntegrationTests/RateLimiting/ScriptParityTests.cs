using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Keys;
using SessionGate.RateLimiting.Quotas;
using SessionGate.RateLimiting.Redis;
using SessionGate.Storage.Redis;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>
/// The Lua script and <see cref="QuotaMath"/> must decide identically: the same scenario tables run
/// through both (the script given the scenario's clock via its test-only ARGV), verdict by verdict.
/// </summary>
public sealed class ScriptParityTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    public static TheoryData<string> TableNames => [.. QuotaScenarios.Tables.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(TableNames))]
    public async Task Script_ScenarioTable_DecidesLikeQuotaMath(string name)
    {
        await using RedisConnection connection = await redis.Server.ConnectAsync();
        var store = new RedisQuotaStore(connection, NullLogger.Instance);

        await AssertSameAsync(store, QuotaScenarios.Tables.Single(s => s.Name == name));
    }

    [Fact]
    public async Task Script_RandomScenarios_DecideLikeQuotaMath()
    {
        await using RedisConnection connection = await redis.Server.ConnectAsync();
        var store = new RedisQuotaStore(connection, NullLogger.Instance);

        foreach (QuotaScenario scenario in QuotaScenarios.Random(count: 30, steps: 60, seed: 4242))
        {
            await AssertSameAsync(store, scenario);
        }
    }

    private static async Task AssertSameAsync(RedisQuotaStore store, QuotaScenario scenario)
    {
        string partition = "acct:" + Guid.NewGuid().ToString("N");
        long now = UnixMicroseconds.From(scenario.Start);
        QuotaState state = default;
        for (int i = 0; i < scenario.Steps.Count; i++)
        {
            QuotaStep step = scenario.Steps[i];
            now += step.AdvanceMicros;
            GcraLimits limits = GcraLimits.From(step.Policy);
            QuotaVerdict expected = QuotaMath.Decide(state, limits, step.Cost, now, step.Commit, out state);

            QuotaVerdict actual = await store.DecideAtAsync(partition, limits, step.Cost, step.Commit, now);

            Assert.True(expected == actual, $"{scenario.Name}, step {i} ({step}): C# {expected}, Lua {actual}");
        }
    }
}
