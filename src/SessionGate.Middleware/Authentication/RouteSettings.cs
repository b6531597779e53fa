using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using SessionGate.RateLimiting;
using SessionGate.AspNetCore.RateLimiting;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>SessionGate's effective per-route switches, read from the selected endpoint's metadata.</summary>
/// <param name="Bypass">Out of SessionGate entirely (<c>.DisableSessionGate()</c>).</param>
/// <param name="Disabled">Answers 403 <c>route_disabled</c>.</param>
/// <param name="RequireSession">Anonymous callers get 401 <c>session_required</c>.</param>
/// <param name="Cost">Cost units per call.</param>
/// <param name="RateLimited">Limited by the <see cref="SessionGatePolicyNames.PerAccount"/> policy (endpoint metadata or YARP's <c>RateLimiterPolicy</c>).</param>
/// <param name="Shadow">Rate limiting in shadow mode: decided and counted, never refused (<c>.WithSessionGateShadow()</c>, <c>SessionGate.Shadow</c>).</param>
internal readonly record struct RouteSettings(bool Bypass, bool Disabled, bool RequireSession, int Cost, bool RateLimited, bool Shadow = false)
{
    public static RouteSettings Default => new(false, false, false, 1, false);

    // An endpoint's metadata never changes (YARP builds new endpoints when its configuration
    // reloads), and every limited request reads these switches twice (middleware, partition): read the
    // metadata once per endpoint.
    private static readonly ConditionalWeakTable<Endpoint, StrongBox<RouteSettings>> Cache = new();

    public static RouteSettings For(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return Default;
        }

        return Cache.GetValue(endpoint, static e => new StrongBox<RouteSettings>(Read(e))).Value;
    }

    private static RouteSettings Read(Endpoint endpoint)
    {
        EndpointMetadataCollection metadata = endpoint.Metadata;
        SessionGateRouteMetadata? route = metadata.GetMetadata<SessionGateRouteMetadata>();
        return new RouteSettings(
            metadata.GetMetadata<DisableSessionGateAttribute>() is not null,
            metadata.GetMetadata<SessionGateRouteDisabledAttribute>() is not null || route?.Enabled == false,
            metadata.GetMetadata<RequireSessionAttribute>() is not null || route?.RequireSession == true,
            route?.Cost ?? 1,
            metadata.GetMetadata<DisableRateLimitingAttribute>() is null
                && string.Equals(metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName, SessionGatePolicyNames.PerAccount, StringComparison.Ordinal),
            metadata.GetMetadata<SessionGateShadowAttribute>() is not null || route?.Shadow == true);
    }
}
