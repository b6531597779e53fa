using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Testing;
using SessionGate.Verification;
using SessionGate.Verification.Budget;

namespace SessionGate.Tests.Verification;

public sealed class VerificationBudgetTests
{
    private readonly FakeTimeProvider _time = new(TestTime.Start);

    private VerificationBudget Budget(ClientBlockingOptions options) => new(options, _time, NullLogger<VerificationBudget>.Instance);

    [Fact]
    public void TryCharge_PerClientPerMinute_RefusesBeyondTheBudgetUntilTheMinuteEnds()
    {
        VerificationBudget budget = Budget(new ClientBlockingOptions { VerificationsPerMinute = 3 });

        Assert.Equal([true, true, true, false, false], Enumerable.Range(0, 5).Select(x => budget.TryCharge("10.0.0.1", out _)));
        Assert.True(budget.TryCharge("10.0.0.2", out _));
        Assert.False(budget.TryCharge("10.0.0.1", out TimeSpan retry));
        Assert.InRange(retry, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));

        _time.Advance(retry);
        Assert.True(budget.TryCharge("10.0.0.1", out _));
    }

    [Fact]
    public void TryCharge_ZeroBudget_IsOff()
    {
        VerificationBudget budget = Budget(new ClientBlockingOptions { VerificationsPerMinute = 0 });
        Assert.All(Enumerable.Range(0, 10_000), x => Assert.True(budget.TryCharge("10.0.0.1", out _)));
        Assert.Equal(0, budget.TrackedClients);
    }

    [Fact]
    public void TryCharge_PrefixRule_OverridesTheDefault()
    {
        VerificationBudget budget = Budget(new ClientBlockingOptions
        {
            VerificationsPerMinute = 1,
            Prefixes = [new ClientPrefixOptions { Cidr = "10.1.0.0/16", VerificationsPerMinute = 4 }, new ClientPrefixOptions { Cidr = "10.2.0.0/16", VerificationsPerMinute = 0 }],
        });

        Assert.Equal(4, Enumerable.Range(0, 10).Count(x => budget.TryCharge("10.1.2.3", out _)));
        Assert.Equal(1, Enumerable.Range(0, 10).Count(x => budget.TryCharge("10.3.2.3", out _)));
        Assert.Equal(10, Enumerable.Range(0, 10).Count(x => budget.TryCharge("10.2.2.3", out _)));
    }

    [Fact]
    public void TryCharge_FloodOfNewClients_StaysBoundedAndNeverResetsAKnownClient()
    {
        VerificationBudget budget = Budget(new ClientBlockingOptions { VerificationsPerMinute = 2, MaxTrackedClients = 100 });
        Assert.True(budget.TryCharge("known", out _));
        Assert.True(budget.TryCharge("known", out _));

        int admitted = Enumerable.Range(0, 10_000).Count(i => budget.TryCharge("flood" + i, out _));

        Assert.Equal(100, budget.TrackedClients);
        Assert.Equal(99 + 2, admitted);   // 99 get counts of their own, the rest share one overflow budget of 2
        Assert.False(budget.TryCharge("known", out _));
    }

    [Fact]
    public void PrefixTable_Validate_NamesEveryBadEntry()
    {
        IReadOnlyList<string> errors = ClientPrefixTable.Validate(new ClientBlockingOptions
        {
            VerificationsPerMinute = -1,
            Prefixes = [new ClientPrefixOptions { Cidr = "10.0.0.1/8" }, new ClientPrefixOptions { Cidr = "2001:db8::/32", FailureThreshold = 0, VerificationsPerMinute = -2 }, new ClientPrefixOptions()],
        });

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.Contains("Prefixes:0:Cidr", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Prefixes:1:FailureThreshold", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Prefixes:2:Cidr", StringComparison.Ordinal));
    }

    [Fact]
    public void PrefixTable_FirstMatchingRangeWins_OthersGetTheDefaults()
    {
        var table = new ClientPrefixTable(new ClientBlockingOptions
        {
            FailureThreshold = 30,
            Prefixes = [new ClientPrefixOptions { Cidr = "2001:db8::/32", FailureThreshold = 500 }, new ClientPrefixOptions { Cidr = "2001::/16", FailureThreshold = 7 }],
        });

        Assert.Equal(500, table.FailureThresholdOf("2001:db8:1:2::"));
        Assert.Equal(7, table.FailureThresholdOf("2001:1::"));
        Assert.Equal(30, table.FailureThresholdOf("192.0.2.1"));
        Assert.Equal(30, table.FailureThresholdOf("unknown"));
    }
}
