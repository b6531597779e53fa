using Microsoft.AspNetCore.Http;

namespace SessionGate.Authentication;

/// <summary>SessionGate's per-route switches, read from the selected endpoint's metadata.</summary>
internal readonly record struct RouteSettings(bool Bypass, bool Disabled, bool RequireSession)
{
    public static RouteSettings For(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return default;
        }

        EndpointMetadataCollection metadata = endpoint.Metadata;
        return new RouteSettings(
            metadata.GetMetadata<DisableSessionGateAttribute>() is not null,
            metadata.GetMetadata<SessionGateRouteDisabledAttribute>() is not null,
            metadata.GetMetadata<RequireSessionAttribute>() is not null);
    }
}
