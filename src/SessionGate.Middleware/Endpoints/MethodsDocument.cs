using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using SessionGate.AspNetCore.Authentication;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.Endpoints;

/// <summary>
/// Writes <c>GET {PathPrefix}/methods</c> (like INTERX's <c>rpc_methods</c>): every route SessionGate
/// guards with its methods, cost, whether a session is required, whether it is enabled and its
/// rate-limit policy, plus the anonymous and per-tier limits.
/// </summary>
internal static class MethodsDocument
{
    public static void Write(Utf8JsonWriter writer, EndpointDataSource endpoints, RateLimitingOptions limits)
    {
        writer.WriteStartObject("anonymous");
        WriteLimits(writer, limits.Anonymous.ToPolicy());
        writer.WriteEndObject();

        writer.WriteStartArray("tiers");
        foreach (TierDefinition tier in limits.EffectiveTiers)
        {
            writer.WriteStartObject();
            writer.WriteNumber("min_balance", tier.MinBalance);
            WriteLimits(writer, tier.ToPolicy());
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("methods");
        foreach (RouteEndpoint endpoint in endpoints.Endpoints.OfType<RouteEndpoint>().OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal))
        {
            RouteSettings settings = RouteSettings.For(endpoint);
            if (settings.Bypass)
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("path", endpoint.RoutePattern.RawText);
            writer.WriteStartArray("methods");
            foreach (string method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                writer.WriteStringValue(method);
            }

            writer.WriteEndArray();
            writer.WriteNumber("cost", settings.Cost);
            writer.WriteBoolean("session_required", settings.RequireSession);
            writer.WriteBoolean("enabled", !settings.Disabled);
            string? policy = endpoint.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null
                ? endpoint.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName
                : null;
            writer.WriteString("rate_limit_policy", policy);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>A policy's limits as /methods lists them (also the session view's <c>tier</c>).</summary>
    internal static void WriteLimits(Utf8JsonWriter writer, QuotaPolicy policy)
    {
        writer.WriteString("name", policy.Name);
        writer.WriteNumber("permits_per_minute", policy.PermitsPerMinute);
        writer.WriteNumber("burst", policy.Burst);
        if (policy.DailyQuota is { } daily)
        {
            writer.WriteNumber("daily_quota", daily);
        }
        else
        {
            writer.WriteNull("daily_quota");
        }
    }
}
