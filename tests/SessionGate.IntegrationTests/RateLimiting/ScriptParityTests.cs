using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Keys;
using SessionGate.RateLimiting;
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

    [Fact]
    public async Task Script_RandomLeasesAndGiveBacks_DecideLikeLeaseMath()
    {
        await using RedisConnection connection = await redis.Server.ConnectAsync();
        var store = new RedisQuotaStore(connection, NullLogger.Instance);
        var random = new Random(1616);
        QuotaPolicy[] policies = [new("a", 60, 100, 500), new("b", 600, 50), new("c", 6000, 1000, 2000), new("d", 1, 20, 30)];

        for (int scenario = 0; scenario < 20; scenario++)
        {
            string partition = "acct:" + Guid.NewGuid().ToString("N");
            QuotaPolicy policy = policies[scenario % policies.Length];
            GcraLimits limits = GcraLimits.From(policy);
            long now = UnixMicroseconds.From(new DateTimeOffset(2030, 11, 21, 23, 59, 0, TimeSpan.Zero));   // crosses 00:00 UTC; in the future, as the script expires keys by its own clock
            QuotaState state = default;
            LeaseVerdict last = default;
            for (int step = 0; step < 60; step++)
            {
                now += random.Next(0, 4) * random.Next(0, 3_000_000);
                long cost = random.Next(1, 30);
                long block = random.Next(0, 3) == 0 ? 0 : random.Next(1, 60);
                bool commit = random.Next(0, 5) != 0;
                LeaseReturn giveBack = last.Granted > 0 && random.Next(0, 2) == 0
                    ? new LeaseReturn(random.Next(1, (int)last.Granted + 1), last.SlotEnd, policy.DailyQuota is null ? -1 : last.Day)
                    : default;

                LeaseVerdict expected = LeaseMath.Decide(state, limits, cost, block, giveBack, now, commit, out state);
                LeaseVerdict actual = await store.LeaseAtAsync(partition, limits, cost, commit, block, giveBack, now);

                Assert.True(expected == actual, $"scenario {scenario} ({policy}), step {step} (cost {cost}, block {block}, commit {commit}, give back {giveBack}): C# {expected}, Lua {actual}");
                if (actual.Granted > 0)
                {
                    last = actual;
                }
            }
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
