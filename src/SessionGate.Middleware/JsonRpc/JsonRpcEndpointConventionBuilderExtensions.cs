using SessionGate.AspNetCore.JsonRpc;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Endpoint conventions for SessionGate's JSON-RPC metering.</summary>
public static class JsonRpcEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Meters these endpoints as JSON-RPC: each call of a request body is charged its method's cost
    /// from <c>SessionGate:JsonRpc:Methods</c> (a batch the sum of its calls, all or nothing), disallowed
    /// methods are refused with JSON-RPC errors and never reach the endpoint, and rate-limit refusals
    /// are JSON-RPC error objects. Needs the <c>SessionGate.PerAccount</c> rate-limiter policy to charge.
    /// </summary>
    /// <param name="builder">The endpoints.</param>
    /// <param name="settings">This route's own method costs and allow/deny lists; null for the global ones only.</param>
    /// <exception cref="ArgumentException"><paramref name="settings"/> holds an invalid pattern or cost.</exception>
    public static TBuilder WithJsonRpcMetering<TBuilder>(this TBuilder builder, JsonRpcRouteMetadata? settings = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        settings ??= new JsonRpcRouteMetadata();
        string[] problems = [.. settings.Validate("")];
        if (problems.Length > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(settings));
        }

        builder.WithMetadata(settings);
        return builder;
    }
}
