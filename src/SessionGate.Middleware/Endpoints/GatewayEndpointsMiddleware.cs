using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Authentication;
using SessionGate.AspNetCore.Configuration;
using SessionGate.Chain;
using SessionGate.Verification;
using SessionGate.Verification.Difficulty;

namespace SessionGate.AspNetCore.Endpoints;

/// <summary>
/// The gateway's own endpoints under <c>PathPrefix</c> (default <c>/_sessiongate</c>):
/// <c>GET /block</c> (the latest known block, so clients can build headers) and
/// <c>GET /version</c> (name and version, like the SessionKey Validator's get_name/get_version) and
/// <c>GET /methods</c> (routes with cost, session requirement and limits, like INTERX's rpc_methods).
/// </summary>
internal sealed class GatewayEndpointsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IBlockFeed _blockFeed;
    private readonly EndpointDataSource _endpoints;
    private readonly SessionGateOptions _options;
    private readonly Grants.ChainIdentity _chain;
    private readonly DifficultyGate _difficulty;
    private readonly JsonRpc.JsonRpcRouteTables _jsonRpc;

    public GatewayEndpointsMiddleware(RequestDelegate next, IBlockFeed blockFeed, EndpointDataSource endpoints, IOptions<SessionGateOptions> options, Grants.ChainIdentity chain, DifficultyGate difficulty, JsonRpc.JsonRpcRouteTables jsonRpc)
    {
        _difficulty = difficulty;
        _jsonRpc = jsonRpc;
        _chain = chain;
        _next = next;
        _blockFeed = blockFeed;
        _endpoints = endpoints;
        _options = options.Value;
    }

    public Task InvokeAsync(HttpContext context)
    {
        Func<HttpContext, Task>? handler = context.Request.Path.Value switch
        {
            "/block" => WriteLatestBlockAsync,
            "/version" => WriteVersionAsync,
            "/methods" => WriteMethodsAsync,
            _ => null,
        };

        if (handler is null)
        {
            return _next(context);
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            return ProblemResponses.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "method_not_allowed", "Method not allowed.", "This path accepts GET and HEAD.", instance: null);
        }

        return handler(context);
    }

    private Task WriteLatestBlockAsync(HttpContext context)
    {
        BlockInfo? latest = _blockFeed.Latest;
        if (latest is null)
        {
            return ProblemResponses.WriteAsync(context, SessionError.ChainUnavailable, "No block is known yet.");
        }

        context.Response.Headers.CacheControl = "no-cache";
        return WriteJsonAsync(context, writer =>
        {
            writer.WriteNumber("height", latest.Height);
            writer.WriteString("hash", latest.Hash.ToUpperHex());
            writer.WriteString("time", latest.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));

            // What a wallet-signed grant must name as its Chain ID (null until a Tendermint node was asked).
            writer.WriteString("chain_id", _chain.Known);

            // Leading zero bits a new header's nonce must give (docs/protocol.md, "Difficulty challenge"); 0: none.
            writer.WriteNumber("difficulty", _difficulty.Current);
        });
    }

    private Task WriteMethodsAsync(HttpContext context) =>
        WriteJsonAsync(context, writer => MethodsDocument.Write(writer, _endpoints, _options.RateLimiting, _jsonRpc));

    private static Task WriteVersionAsync(HttpContext context) => WriteJsonAsync(context, writer =>
    {
        writer.WriteString("name", "sessiongate");
        writer.WriteString("version", SessionGateVersion.Current);
    });

    private static Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}
