using SessionGate.Chain;
using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Authentication;
using SessionGate.AspNetCore.Configuration;
using SessionGate.Diagnostics;
using SessionGate.Grants;
using SessionGate.RateLimiting;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Storage;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Grants;

/// <summary>
/// <c>POST {PathPrefix}/grants</c> and <c>POST {PathPrefix}/grants/revoke</c> (docs/grants.md): an
/// account owner registers or revokes a session key with one ADR-036 signature. Without
/// <c>SessionGate:Grants:Domain</c> every request passes on (404). Order: blocked address, the
/// anonymous limiter of the address (before any parsing or signature work), body size and type,
/// message and rules, signature, directory. Every refusal except limits and our own unavailability
/// counts towards blocking the address.
/// </summary>
internal sealed class GrantsMiddleware
{
    /// <summary>Largest body read.</summary>
    public const int MaxBodyBytes = 8 * 1024;

    private readonly RequestDelegate _next;
    private readonly GrantsOptions _options;
    private readonly GrantEndpointServices? _services;
    private readonly ILogger _logger;

    public GrantsMiddleware(RequestDelegate next, IOptions<SessionGateOptions> options, IServiceProvider services, ILogger<GrantsMiddleware> logger)
    {
        _next = next;
        _options = options.Value.Grants;
        _logger = logger;
        if (_options.Enabled)
        {
            _services = GrantEndpointServices.From(services);
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        GrantMessageKind? kind = context.Request.Path.Value switch
        {
            "/grants" => GrantMessageKind.Grant,
            "/grants/revoke" => GrantMessageKind.Revoke,
            _ => null,
        };

        if (kind is null || _services is null)
        {
            return _next(context);
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            return GrantResponses.WriteProblemAsync(context, 405, "method_not_allowed", "Method not allowed", "This path accepts POST.");
        }

        return TracedAsync(context, kind.Value, _services);
    }

    // The grant span: kind and the answer's status only (no account, key or message text).
    private async Task TracedAsync(HttpContext context, GrantMessageKind kind, GrantEndpointServices services)
    {
        using Activity? activity = SessionGateActivitySource.Start(SessionGateActivitySource.GrantSpan);
        activity?.SetTag(SessionGateActivitySource.GrantKindAttribute, kind == GrantMessageKind.Grant ? "grant" : "revoke");
        await HandleAsync(context, kind, services).ConfigureAwait(false);
        activity?.SetTag(SessionGateActivitySource.GrantStatusAttribute, context.Response.StatusCode);
    }

    private async Task HandleAsync(HttpContext context, GrantMessageKind kind, GrantEndpointServices services)
    {
        string client = ClientAddresses.Of(context);
        CancellationToken aborted = context.RequestAborted;
        if (await services.Blocker.GetBlockedForAsync(client, aborted).ConfigureAwait(false) is { } blockedFor)
        {
            await ProblemResponses.WriteAsync(context, SessionError.IpBlocked, "Too many failed requests from this address.", blockedFor).ConfigureAwait(false);
            return;
        }

        QuotaDecision quota = await services.Quotas.AcquireAsync(PartitionKey.ForAddress(client), services.Tiers.Anonymous, _options.Cost, aborted).ConfigureAwait(false);
        if (!quota.Allowed)
        {
            SessionError error = quota.Rejection switch
            {
                QuotaRejection.Unavailable => SessionError.LimiterUnavailable,
                QuotaRejection.QuotaExhausted => SessionError.QuotaExhausted,
                _ => SessionError.RateLimited,
            };
            await ProblemResponses.WriteAsync(context, error, "Grant requests are limited per address.", quota.RetryAfter > TimeSpan.Zero ? quota.RetryAfter : null).ConfigureAwait(false);
            return;
        }

        if (!IsJson(context.Request.ContentType))
        {
            await FailAsync(context, client, services, 415, "unsupported_media_type", "Unsupported media type", "The body must be application/json.").ConfigureAwait(false);
            return;
        }

        byte[]? body = await ReadBodyAsync(context.Request, aborted).ConfigureAwait(false);
        if (body is null)
        {
            await FailAsync(context, client, services, 413, "request_too_large", "Request too large", $"The body must be at most {MaxBodyBytes} bytes.").ConfigureAwait(false);
            return;
        }

        GrantRequestBody request = GrantRequestBody.Parse(body);
        ChainIdStatus chain = services.Chain.Current;
        if (chain.ChainId is not { } chainId)
        {
            Log.ChainIdUnknown(_logger, ChainIdentity.Explain(chain.Problem));
            await ProblemResponses.WriteAsync(context, SessionError.ChainUnavailable, "The chain id cannot be established now; try again.").ConfigureAwait(false);
            return;
        }

        GrantVerification verification = services.Verifier.Verify(kind, request.Message, request.PublicKey, request.Signature, chainId, request.Errors);
        if (verification.Error != GrantError.None)
        {
            await FailAsync(context, client, services, verification.Error, verification.Detail, verification.Errors).ConfigureAwait(false);
            return;
        }

        GrantMessage message = verification.Message!;
        GrantResult result;
        try
        {
            result = kind == GrantMessageKind.Grant
                ? await services.Registrar.ApplyAsync(message, aborted).ConfigureAwait(false)
                : await services.Registrar.RevokeAsync(message, aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreUnavailableException or StackExchange.Redis.RedisException)
        {
            Log.StoreUnavailable(_logger, e);
            await ProblemResponses.WriteAsync(context, SessionError.StoreUnavailable, "The key directory could not be reached; nothing was changed. Try again.").ConfigureAwait(false);
            return;
        }

        if (result.Error != GrantError.None)
        {
            await FailAsync(context, client, services, result.Error, GrantErrors.Describe(result.Error).Title + ".", null).ConfigureAwait(false);
            return;
        }

        Log.Applied(_logger, kind, SessionGate.Diagnostics.LogValue.Escape(message.Account), result.Created);
        int status = result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        await GrantResponses.WriteKeyAsync(context, status, result.Record!, services.Time.GetUtcNow()).ConfigureAwait(false);
    }

    private static async Task FailAsync(HttpContext context, string client, GrantEndpointServices services, GrantError error, string? detail, IReadOnlyDictionary<string, IReadOnlyList<string>>? errors)
    {
        GrantErrorDescription description = GrantErrors.Describe(error);
        await services.Blocker.RecordFailureAsync(client, context.RequestAborted).ConfigureAwait(false);
        await GrantResponses.WriteProblemAsync(context, description.Status, description.Code, description.Title, detail, errors is { Count: > 0 } ? errors : null).ConfigureAwait(false);
    }

    private static async Task FailAsync(HttpContext context, string client, GrantEndpointServices services, int status, string code, string title, string detail)
    {
        await services.Blocker.RecordFailureAsync(client, context.RequestAborted).ConfigureAwait(false);
        await GrantResponses.WriteProblemAsync(context, status, code, title, detail).ConfigureAwait(false);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase));

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            int total = 0;
            int read;
            while (total <= MaxBodyBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(total, MaxBodyBytes + 1 - total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total > MaxBodyBytes ? null : buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
