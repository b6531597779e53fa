// The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers, structured-field lists):
//   RateLimit-Policy: "holder";q=600;w=60, "holder-daily";q=100000;w=86400
//   RateLimit: "holder";r=42;t=3, "holder-daily";r=99958;t=41234
// q = quota units per window w (seconds); r = units remaining; t = seconds until the reset.
using System.Globalization;
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

    public static void Apply(IHeaderDictionary headers, QuotaPolicy policy, in QuotaDecision decision)
    {
        headers[PolicyHeader] = FormatPolicy(policy);
        headers[RateLimitHeader] = FormatRemaining(policy, decision);
        if (!decision.Allowed && decision.Rejection is QuotaRejection.RateLimited or QuotaRejection.QuotaExhausted)
        {
            headers.RetryAfter = Seconds(decision.RetryAfter).ToString(CultureInfo.InvariantCulture);
        }
    }

    public static string FormatPolicy(QuotaPolicy policy)
    {
        var text = new StringBuilder();
        Item(text, policy.Name).Append(";q=").Append(policy.PermitsPerMinute).Append(";w=60");
        if (policy.DailyQuota is { } daily)
        {
            Item(text.Append(", "), DailyName(policy)).Append(";q=").Append(daily).Append(";w=").Append(DaySeconds);
        }

        return text.ToString();
    }

    public static string FormatRemaining(QuotaPolicy policy, in QuotaDecision decision)
    {
        var text = new StringBuilder();
        Item(text, policy.Name).Append(";r=").Append(Math.Max(0, decision.Remaining)).Append(";t=").Append(Seconds(decision.Reset));
        if (decision.DailyRemaining is { } dailyRemaining)
        {
            Item(text.Append(", "), DailyName(policy))
                .Append(";r=").Append(Math.Max(0, dailyRemaining))
                .Append(";t=").Append(Seconds(decision.DailyReset ?? TimeSpan.Zero));
        }

        return text.ToString();
    }

    /// <summary>Name of the daily budget's policy item.</summary>
    public static string DailyName(QuotaPolicy policy) => policy.Name + "-daily";

    /// <summary>Whole seconds, rounded up so a client that waits t seconds is never early.</summary>
    public static long Seconds(TimeSpan value) => Math.Max(0, (long)Math.Ceiling(value.TotalSeconds));

    // An sf-string: tier names are validated to plain characters, but escape '"' and '\' anyway.
    private static StringBuilder Item(StringBuilder text, string name)
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
}
