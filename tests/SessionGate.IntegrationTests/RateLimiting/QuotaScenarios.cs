using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Quotas;

namespace SessionGate.IntegrationTests.RateLimiting;

/// <summary>One call in a scenario: advance the clock, then ask for <paramref name="Cost"/> under <paramref name="Policy"/>.</summary>
public sealed record QuotaStep(long AdvanceMicros, int Cost, QuotaPolicy Policy, bool Commit = true);

/// <summary>A named sequence of calls on one partition, starting at <paramref name="Start"/>.</summary>
public sealed record QuotaScenario(string Name, DateTimeOffset Start, IReadOnlyList<QuotaStep> Steps)
{
    public override string ToString() => Name;
}

/// <summary>
/// Scenario tables run through both <see cref="QuotaMath"/> and the Lua script. Start times lie in
/// the future (the script sets absolute expiries by the clock it is given, and Redis drops keys
/// whose expiry is already past by its own clock) and before 2065 (values stay below 2^53).
/// </summary>
public static class QuotaScenarios
{
    private const long Second = 1_000_000;
    private static readonly DateTimeOffset Noon = new(2060, 3, 14, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BeforeMidnight = new(2060, 3, 14, 23, 59, 58, TimeSpan.Zero);

    private static readonly QuotaPolicy PerSecond = new("per-second", 60, 5);
    private static readonly QuotaPolicy Tenths = new("tenths", 600, 10);
    private static readonly QuotaPolicy Daily = new("daily", 6000, 100, 5);
    private static readonly QuotaPolicy Tight = new("tight", 60, 2, 3);
    private static readonly QuotaPolicy Odd = new("odd", 7, 3);
    private static readonly QuotaPolicy Whale = new("whale", 6000, 1000);
    private static readonly QuotaPolicy Free = new("free", 60, 20);

    public static IReadOnlyList<QuotaScenario> Tables { get; } =
    [
        new("burst then refusal", Noon, [.. Repeat(7, new QuotaStep(0, 1, PerSecond))]),
        new("refill one unit per second", Noon,
            [.. Repeat(5, new QuotaStep(0, 1, PerSecond)), new(500_000, 1, PerSecond), new(500_000, 1, PerSecond), new(0, 1, PerSecond), new(10 * Second, 1, PerSecond)]),
        new("cost above one", Noon,
            [new(0, 4, Tenths), new(0, 4, Tenths), new(0, 4, Tenths), new(200_000, 4, Tenths), new(Second, 10, Tenths)]),
        new("cost above burst never passes", Noon, [new(0, 11, Tenths), new(60 * Second, 11, Tenths), new(0, 10, Tenths)]),
        new("daily budget exhausted, resets at UTC midnight", BeforeMidnight,
            [.. Repeat(6, new QuotaStep(0, 1, Daily)), new(Second, 1, Daily), new(Second, 1, Daily), new(0, 5, Daily), new(0, 1, Daily)]),
        new("both budgets refuse", Noon, [new(0, 2, Tight), new(0, 1, Tight), new(Second, 1, Tight), new(0, 1, Tight), new(Second, 1, Tight)]),
        new("daily refusal takes nothing from the bucket", Noon, [new(0, 3, Tight), new(0, 2, Tight), new(2 * Second, 1, Tight), new(0, 4, Tight)]),
        new("peek takes nothing", Noon,
            [new(0, 1, PerSecond, Commit: false), new(0, 5, PerSecond), new(0, 1, PerSecond, Commit: false), new(Second, 1, PerSecond, Commit: false), new(0, 1, PerSecond)]),
        new("rate not dividing a minute", Noon, [.. Repeat(4, new QuotaStep(0, 1, Odd)), new(8_571_428, 1, Odd), new(1, 1, Odd), new(0, 3, Odd)]),
        new("tier downgrade mid-burst", Noon, [new(0, 900, Whale), new(0, 1, Free), new(Second, 1, Free), new(9 * Second, 1, Free), new(0, 1, Whale)]),
    ];

    /// <summary>Random walks (seeded, so failures reproduce) over several policies, costs around the burst, and gaps around the emission interval.</summary>
    public static IEnumerable<QuotaScenario> Random(int count, int steps, int seed)
    {
        var random = new Random(seed);
        QuotaPolicy[] policies = [PerSecond, Tenths, Daily, Tight, Odd, new("mixed", 120, 7, 40)];
        for (int s = 0; s < count; s++)
        {
            QuotaPolicy policy = policies[random.Next(policies.Length)];
            long interval = GcraLimits.From(policy).EmissionInterval;
            var list = new List<QuotaStep>(steps);
            for (int i = 0; i < steps; i++)
            {
                long advance = random.Next(4) == 0 ? 0 : random.NextInt64(0, 2 * interval);
                int cost = 1 + random.Next(policy.Burst + 1);
                list.Add(new QuotaStep(advance, cost, policy, Commit: random.Next(10) != 0));
            }

            DateTimeOffset start = random.Next(2) == 0 ? Noon : BeforeMidnight.AddSeconds(-random.Next(30));
            yield return new QuotaScenario($"random #{s} ({policy.Name})", start, list);
        }
    }

    private static IEnumerable<QuotaStep> Repeat(int count, QuotaStep step) => Enumerable.Repeat(step, count);
}
