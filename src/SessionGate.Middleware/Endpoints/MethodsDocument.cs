using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using SessionGate.AspNetCore.Authentication;
using SessionGate.AspNetCore.JsonRpc;
using SessionGate.JsonRpc;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.Endpoints;

/// <summary>
/// Writes <c>GET {PathPrefix}/methods</c> (like INTERX's <c>rpc_methods</c>): every route SessionGate
/// guards with its methods, cost, whether a session is required, whether it is enabled and its
/// rate-limit policy (and, on JSON-RPC routes, their method costs), plus the anonymous and per-tier
/// limits and the <c>SessionGate:JsonRpc</c> method table.
/// </summary>
internal static class MethodsDocument
{
    public static void Write(Utf8JsonWriter writer, EndpointDataSource endpoints, RateLimitingOptions limits, JsonRpcRouteTables? jsonRpc = null)
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

        if (jsonRpc is not null)
        {
            writer.WriteStartObject("json_rpc");
            writer.WriteNumber("max_body_bytes", jsonRpc.Options.MaxBodyBytes);
            writer.WriteNumber("max_batch_size", jsonRpc.Options.MaxBatchSize);
            WriteJsonRpcTable(writer, jsonRpc.Global);
            writer.WriteEndObject();
        }

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
            if (jsonRpc?.For(endpoint) is { } table)
            {
                // The route's effective JSON-RPC table: SessionGate:JsonRpc with its own settings on top.
                writer.WriteStartObject("json_rpc");
                WriteJsonRpcTable(writer, table);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    // JSON-RPC method costs: the default, each pattern's cost, the disabled and (if set) the only allowed patterns.
    private static void WriteJsonRpcTable(Utf8JsonWriter writer, JsonRpcMethodTable table)
    {
        writer.WriteNumber("default_cost", table.DefaultCost);
        writer.WriteStartArray("methods");
        foreach ((string pattern, int cost) in table.Costs)
        {
            writer.WriteStartObject();
            writer.WriteString("method", pattern);
            writer.WriteNumber("cost", cost);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WritePatterns(writer, "disabled", table.Disabled);
        WritePatterns(writer, "allowed", table.Allowed);
    }

    private static void WritePatterns(Utf8JsonWriter writer, string name, IEnumerable<string>? patterns)
    {
        if (patterns is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        foreach (string pattern in patterns)
        {
            writer.WriteStringValue(pattern);
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
