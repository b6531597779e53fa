using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.Authentication;
using SessionGate.JsonRpc;

namespace SessionGate.AspNetCore.JsonRpc;

/// <summary>
/// The method table of each JSON-RPC endpoint: the <c>SessionGate:JsonRpc</c> table with the route's
/// own <see cref="JsonRpcRouteMetadata"/> on top, built once per endpoint (endpoint metadata never
/// changes; YARP builds new endpoints when its configuration reloads).
/// </summary>
internal sealed class JsonRpcRouteTables
{
    private static readonly StrongBox<JsonRpcMethodTable?> NotJsonRpc = new(null);

    private readonly ConditionalWeakTable<Endpoint, StrongBox<JsonRpcMethodTable?>> _tables = new();
    private readonly ConditionalWeakTable<Endpoint, StrongBox<JsonRpcMethodTable?>>.CreateValueCallback _build;

    public JsonRpcRouteTables(JsonRpcOptions options)
    {
        Options = options;
        Global = options.ToTable();
        _build = endpoint => endpoint.Metadata.GetMetadata<JsonRpcRouteMetadata>() is { } route && !RouteSettings.For(endpoint).Bypass
            ? new StrongBox<JsonRpcMethodTable?>(Global.With(route.Methods, route.Disabled, route.Allowed))
            : NotJsonRpc;
    }

    /// <summary>The validated <c>SessionGate:JsonRpc</c> settings.</summary>
    public JsonRpcOptions Options { get; }

    /// <summary>The table of <c>SessionGate:JsonRpc</c> alone.</summary>
    public JsonRpcMethodTable Global { get; }

    /// <summary>The table of <paramref name="endpoint"/>, or null when it is not metered as JSON-RPC (or is out of SessionGate).</summary>
    public JsonRpcMethodTable? For(Endpoint? endpoint) => endpoint is null ? null : _tables.GetValue(endpoint, _build).Value;
}
