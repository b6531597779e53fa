using Microsoft.AspNetCore.Http;

namespace SessionGate.Authentication;

/// <summary>SessionGate's effective per-route switches, read from the selected endpoint's metadata.</summary>
internal readonly record struct RouteSettings(bool Bypass, bool Disabled, bool RequireSession, int Cost)
{
    public static RouteSettings Default => new(false, false, false, 1);

    public static RouteSettings For(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return Default;
        }

        EndpointMetadataCollection metadata = endpoint.Metadata;
        SessionGateRouteMetadata? route = metadata.GetMetadata<SessionGateRouteMetadata>();
        return new RouteSettings(
            metadata.GetMetadata<DisableSessionGateAttribute>() is not null,
            metadata.GetMetadata<SessionGateRouteDisabledAttribute>() is not null || route?.Enabled == false,
            metadata.GetMetadata<RequireSessionAttribute>() is not null || route?.RequireSession == true,
            route?.Cost ?? 1);
    }
}
