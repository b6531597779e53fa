// The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers, structured-field lists):
//   RateLimit-Policy: "holder";q=100;w=10, "holder-daily";q=100000;w=86400
//   RateLimit: "holder";r=42;t=3, "holder-daily";r=99958;t=41234
// q = quota units per window w (seconds); r = units remaining; t = seconds until the reset.
// Each policy item describes the budget its RateLimit item's r counts: the rate item is the GCRA
// bucket (q = Burst, the most r can be) and w the time that bucket takes to refill from empty
// (Burst · 60 / PermitsPerMinute, rounded up, so q/w never promises more than the sustained rate);
// the daily item is the daily budget. docs/protocol.md states the mapping.
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>Formats the RateLimit and RateLimit-Policy response headers of a decision.</summary>
internal static class RateLimitHeaders
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string RateLimitHeader = "RateLimit";

    private const int DaySeconds = 86_400;

    /// <summary>
    /// Sets both headers; on a <paramref name="refused"/> response whose decision refused it for its
    /// budget, also <c>Retry-After</c> (never on a granted response, a shadow-mode one included).
    /// </summary>
    public static void Apply(IHeaderDictionary headers, QuotaPolicy policy, in QuotaDecision decision, bool refused = true)
    {
        headers[PolicyHeader] = FormatPolicy(policy);
        headers[RateLimitHeader] = FormatRemaining(policy, decision);
        if (refused && !decision.Allowed && decision.Rejection is QuotaRejection.RateLimited or QuotaRejection.QuotaExhausted)
        {
            headers.RetryAfter = Seconds(decision.RetryAfter).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The RateLimit-Policy value of <paramref name="policy"/> (formatted once per policy).</summary>
    public static string FormatPolicy(QuotaPolicy policy) => Formatted.Of(policy).Policy;

    public static string FormatRemaining(QuotaPolicy policy, in QuotaDecision decision)
    {
        // Every limited response carries this header: one string, no builder (issue 12 profile).
        Formatted formatted = Formatted.Of(policy);
        long remaining = Math.Max(0, decision.Remaining);
        long reset = Seconds(decision.Reset);
        if (decision.DailyRemaining is not { } dailyRemaining)
        {
            return string.Create(CultureInfo.InvariantCulture, stackalloc char[128], $"{formatted.Item};r={remaining};t={reset}");
        }

        return string.Create(CultureInfo.InvariantCulture, stackalloc char[256],
            $"{formatted.Item};r={remaining};t={reset}, {formatted.DailyItem};r={Math.Max(0, dailyRemaining)};t={Seconds(decision.DailyReset ?? TimeSpan.Zero)}");
    }

    /// <summary>Name of the daily budget's policy item.</summary>
    public static string DailyName(QuotaPolicy policy) => policy.Name + "-daily";

    /// <summary>
    /// The <c>w</c> of the rate item: seconds the GCRA bucket of <see cref="QuotaPolicy.Burst"/> units
    /// takes to refill from empty at <see cref="QuotaPolicy.PermitsPerMinute"/>, rounded up (at least 1).
    /// </summary>
    public static long RefillSeconds(QuotaPolicy policy)
    {
        long units = Math.Max(1, policy.Burst) * 60L;
        long perMinute = Math.Max(1, policy.PermitsPerMinute);
        return Math.Max(1, (units + perMinute - 1) / perMinute);
    }

    /// <summary>Whole seconds, rounded up so a client that waits t seconds is never early.</summary>
    public static long Seconds(TimeSpan value) => Math.Max(0, (long)Math.Ceiling(value.TotalSeconds));

    // An sf-string: tier names are validated to plain characters, but escape '"' and '\' anyway.
    private static StringBuilder AppendItem(StringBuilder text, string name)
    {
        text.Append('"');
        foreach (char c in name)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return text.Append('"');
    }

    // What never changes for a policy, formatted once. Policies are immutable records; keyed by
    // reference, so a reloaded tier catalogue (new instances) simply formats again.
    private sealed class Formatted
    {
        private static readonly ConditionalWeakTable<QuotaPolicy, Formatted> Cache = new();

        private Formatted(QuotaPolicy policy)
        {
            Item = AppendItem(new StringBuilder(), policy.Name).ToString();
            DailyItem = AppendItem(new StringBuilder(), DailyName(policy)).ToString();
            var text = new StringBuilder(Item).Append(";q=").Append(policy.Burst).Append(";w=").Append(RefillSeconds(policy));
            if (policy.DailyQuota is { } daily)
            {
                text.Append(", ").Append(DailyItem).Append(";q=").Append(daily).Append(";w=").Append(DaySeconds);
            }

            Policy = text.ToString();
        }

        public string Item { get; }

        public string DailyItem { get; }

        public string Policy { get; }

        public static Formatted Of(QuotaPolicy policy) => Cache.GetValue(policy, static p => new Formatted(p));
    }
}
