using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionGate.AspNetCore.RateLimiting;

/// <summary>
/// The name a route has in the quota history's route top list: the endpoint's display name (YARP
/// names its proxy endpoints by route id; minimal APIs by method and pattern), else its route
/// pattern. Endpoints come from configuration, so the names are bounded; the history still counts
/// names it cannot store (too long, not printable ASCII) as "other".
/// </summary>
internal static class HistoryRouteName
{
    // Read once per endpoint: every limited request asks.
    private static readonly ConditionalWeakTable<Endpoint, string?[]> Cache = new();

    public static string? Of(Endpoint? endpoint) =>
        endpoint is null ? null : Cache.GetValue(endpoint, static e => [e.DisplayName ?? (e as RouteEndpoint)?.RoutePattern.RawText])[0];
}
