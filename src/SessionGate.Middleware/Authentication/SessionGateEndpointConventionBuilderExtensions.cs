using SessionGate.AspNetCore.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Endpoint conventions for SessionGate.</summary>
public static class SessionGateEndpointConventionBuilderExtensions
{
    /// <summary>Requires a valid <c>kira_session</c> header on these endpoints.</summary>
    public static TBuilder RequireSession<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new RequireSessionAttribute());
        return builder;
    }

    /// <summary>Takes these endpoints out of SessionGate (no authentication, no limits).</summary>
    public static TBuilder DisableSessionGate<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new DisableSessionGateAttribute());
        return builder;
    }

    /// <summary>Switches these endpoints off: every call answers 403 <c>route_disabled</c>.</summary>
    public static TBuilder DisableRoute<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new SessionGateRouteDisabledAttribute());
        return builder;
    }

    /// <summary>
    /// Puts the SessionGate rate limiting of these endpoints in shadow mode: each call is decided
    /// against the caller's budget and counted (<c>sessiongate.ratelimit.requests</c> with
    /// <c>shadow=true</c>, the account's would-be refusals) but never refused. Roll a new limit out
    /// this way, then remove the convention to enforce it.
    /// </summary>
    public static TBuilder WithSessionGateShadow<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new SessionGateShadowAttribute());
        return builder;
    }

    /// <summary>Sets the cost of one call to these endpoints (KIP_9.2 "hit points", default 1).</summary>
    public static TBuilder WithSessionGateCost<TBuilder>(this TBuilder builder, int cost)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cost, SessionGateRouteMetadata.MaxCost);
        builder.WithMetadata(new SessionGateRouteMetadata { Cost = cost });
        return builder;
    }
}
