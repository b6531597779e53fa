using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionGate.AspNetCore.JsonRpc;

namespace SessionGate.AspNetCore.DependencyInjection;

/// <summary>
/// JSON-RPC metering: the per-route method tables over the validated <c>SessionGate:JsonRpc</c>
/// section, and the feed of the quota history's method top list (the same <c>IUsageHistory</c> the
/// limiter records into).
/// </summary>
internal static class JsonRpcRegistrations
{
    public static void AddSessionGateJsonRpc(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new JsonRpcRouteTables(sp.GetSessionGateOptions().JsonRpc));
        services.TryAddSingleton<JsonRpcMethodHistory>();
    }
}
