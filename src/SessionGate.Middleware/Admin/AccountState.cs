using System.Globalization;
using System.Text.Json;
using SessionGate.Storage;
using SessionGate.Balances;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Storage.Redis;
using SessionGate.Usage;

namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// An account as the admin API shows it: balance, the tier in force and why, what remains of each
/// budget (peeked: nothing is spent). The tier is decided exactly as <see cref="ITierResolver"/>
/// decides it for requests: override naming a configured tier, else balance, else the lowest tier.
/// </summary>
internal sealed record AccountState(string Account, BalanceResult Balance, string? Override, string Source, QuotaPolicy Policy, QuotaDecision Budgets)
{
    public static async Task<AccountState> LoadAsync(AdminServices services, string account, CancellationToken cancellationToken)
    {
        string? overrideName = await services.TierOverrides.GetAsync(account, cancellationToken).ConfigureAwait(false);
        BalanceResult balance = await services.Balances.GetBalanceAsync(account, cancellationToken).ConfigureAwait(false);
        QuotaPolicy policy;
        string source;
        if (overrideName is not null && services.Tiers.TryGetTier(overrideName, out QuotaPolicy? overridden))
        {
            policy = overridden;
            source = "override";
        }
        else
        {
            policy = services.Tiers.ForBalance(balance);
            source = balance.Known ? "balance" : "default";
        }

        QuotaDecision budgets = await services.Quotas.PeekAsync(PartitionKey.ForAccount(account), policy, cancellationToken).ConfigureAwait(false);
        if (budgets.Rejection == QuotaRejection.Unavailable)
        {
            throw new StoreUnavailableException("The quota store is unavailable.");
        }

        return new AccountState(account, balance, overrideName, source, policy, budgets);
    }

    public void WriteTier(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("tier");
        writer.WriteString("name", Policy.Name);
        writer.WriteString("source", Source);
        writer.WriteString("override", Override);
        writer.WriteNumber("permitsPerMinute", Policy.PermitsPerMinute);
        writer.WriteNumber("burst", Policy.Burst);
        if (Policy.DailyQuota is { } daily)
        {
            writer.WriteNumber("dailyQuota", daily);
        }
        else
        {
            writer.WriteNull("dailyQuota");
        }

        writer.WriteBoolean("shadow", Policy.Shadow);
        writer.WriteEndObject();
    }

    public void WriteBalance(Utf8JsonWriter writer, string denom) => WriteBalance(writer, Balance, denom);

    /// <summary>The <c>balance</c> member (the admin API's account view and the session's own view).</summary>
    public static void WriteBalance(Utf8JsonWriter writer, BalanceResult balance, string denom)
    {
        writer.WriteStartObject("balance");
        if (balance.Known)
        {
            writer.WriteString("amount", balance.Balance.ToString("0.############################", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull("amount");
        }

        writer.WriteString("denom", denom);
        writer.WriteBoolean("known", balance.Known);
        writer.WriteEndObject();
    }

    public void WriteBudgets(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("budgets");
        WriteBudget(writer, "rate", Policy.Burst, Budgets.Remaining, Budgets.Reset);
        if (Policy.DailyQuota is { } daily)
        {
            WriteBudget(writer, "daily", daily, Budgets.DailyRemaining ?? daily, Budgets.DailyReset ?? TimeSpan.Zero);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Null when a request of <paramref name="cost"/> would pass every budget now; else the code it
    /// would get (an exhausted daily budget wins, as in the limiter, since waiting for the rate
    /// bucket would not help).
    /// </summary>
    public string? RefusalFor(long cost)
    {
        if (Policy.DailyQuota is not null && (Budgets.DailyRemaining ?? 0) < cost)
        {
            return "quota_exhausted";
        }

        return Budgets.Remaining < cost ? "rate_limited" : null;
    }

    public static void WriteUsage(Utf8JsonWriter writer, UsageSeries usage)
    {
        writer.WriteNumber("requests", usage.Requests);
        writer.WriteNumber("rejected", usage.Rejected);
        writer.WriteNumber("shadowRejected", usage.ShadowRejected);
        writer.WriteStartArray("requestsPerSecond");
        foreach (long count in usage.RequestsPerSecond)
        {
            writer.WriteNumberValue(count);
        }

        writer.WriteEndArray();
    }

    private static void WriteBudget(Utf8JsonWriter writer, string name, long limit, long remaining, TimeSpan reset)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteNumber("limit", limit);
        writer.WriteNumber("remaining", Math.Max(0, remaining));
        writer.WriteNumber("resetSeconds", AdminResponses.Seconds(reset));
        writer.WriteEndObject();
    }
}
