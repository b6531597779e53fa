using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionGate.AspNetCore.JsonRpc;

namespace SessionGate.AspNetCore.DependencyInjection;

/// <summary>JSON-RPC metering: the per-route method tables over the validated <c>SessionGate:JsonRpc</c> section.</summary>
internal static class JsonRpcRegistrations
{
    public static void AddSessionGateJsonRpc(this IServiceCollection services) =>
        services.TryAddSingleton(sp => new JsonRpcRouteTables(sp.GetSessionGateOptions().JsonRpc));
}
