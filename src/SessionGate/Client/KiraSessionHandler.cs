using System.Net;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Client;

/// <summary>
/// Adds a valid <c>kira_session</c> header to every request for the gateway's origin. The header is
/// signed over the gateway's latest block (<c>GET {PathPrefix}/block</c>, fetched through the inner
/// handler) and re-signed over a newer block every <see cref="KiraSessionClientOptions.RefreshInterval"/>,
/// well before the gateway's window closes. Thread-safe: one block fetch at a time; while one caller
/// refreshes, others keep using the current header as long as it is younger than
/// <see cref="KiraSessionClientOptions.MaxHeaderAge"/>. When the gateway refuses a header because
/// its block expired or is unknown (say, the gateway restarted), or asks for a solved difficulty
/// challenge (<c>difficulty_required</c>), the header is dropped and a request without a body is
/// sent once more with a fresh one.
/// <para>Redirects are followed by this handler, not by the inner one (whose <c>AllowAutoRedirect</c>
/// it switches off before the first request): each hop carries a header only when it goes to the
/// gateway's origin, so a redirect to another host never receives the bearer token
/// (<see cref="KiraSessionClientOptions.MaxRedirects"/>).</para>
/// </summary>
/// <example>
/// <code>
/// using var key = Sr25519KeyPair.FromMiniSecret(seed);
/// using var http = new HttpClient(new KiraSessionHandler(key, "kira1…", new Uri("http://127.0.0.1:8080")));
/// </code>
/// </example>
/// <remarks>The handler does not dispose the key pair: the caller owns it.</remarks>
public sealed partial class KiraSessionHandler : DelegatingHandler
{
    private readonly Sr25519KeyPair _keyPair;
    private readonly string _account;
    private readonly KiraSessionClientOptions _options;
    private readonly Uri _blockUri;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private SignedHeader? _current;

    /// <summary>
    /// Two-line setup: a handler for <paramref name="gateway"/> with default settings and its own
    /// <see cref="SocketsHttpHandler"/>, ready for <c>new HttpClient(handler)</c>.
    /// </summary>
    public KiraSessionHandler(Sr25519KeyPair keyPair, string account, Uri gateway)
        : this(keyPair, account, new KiraSessionClientOptions { Gateway = gateway }, new SocketsHttpHandler())
    {
    }

    /// <summary>A handler sending through <paramref name="innerHandler"/>.</summary>
    public KiraSessionHandler(Sr25519KeyPair keyPair, string account, KiraSessionClientOptions options, HttpMessageHandler innerHandler)
        : this(keyPair, account, options)
    {
        ArgumentNullException.ThrowIfNull(innerHandler);
        InnerHandler = innerHandler;
    }

    /// <summary>
    /// A handler without an inner handler, for pipelines that set it, such as
    /// <c>services.AddHttpClient(…).AddHttpMessageHandler(() => new KiraSessionHandler(key, account, options))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The account is not a bech32 address, or an option is out of range.</exception>
    public KiraSessionHandler(Sr25519KeyPair keyPair, string account, KiraSessionClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(account) || !Bech32.TryDecode(account, out _, out _))
        {
            throw new ArgumentException("The account must be a bech32 address (e.g. kira1…).", nameof(account));
        }

        options.Validate();
        _keyPair = keyPair;
        _account = account;
        _options = options;
        _blockUri = BlockUri(options.Gateway, options.PathPrefix);
    }

    /// <summary>Where the latest block is read: <c>{Gateway}{PathPrefix}/block</c>.</summary>
    public Uri BlockEndpoint => _blockUri;

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendFollowingRedirectsAsync(request, cancellationToken);
    }

    /// <summary>One request to the gateway's origin, with a header (and one retry after a stale-block refusal).</summary>
    private async Task<HttpResponseMessage> SendSignedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        SignedHeader header = await GetHeaderAsync(cancellationToken).ConfigureAwait(false);
        Attach(request, header);
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!await IsStaleBlockRefusalAsync(response, cancellationToken).ConfigureAwait(false))
        {
            return response;
        }

        Interlocked.CompareExchange(ref _current, null, header);
        if (request.Content is not null)
        {
            // A body may not be readable twice; the caller sees the 401 and the next request gets a fresh header.
            return response;
        }

        response.Dispose();
        Attach(request, await GetHeaderAsync(cancellationToken).ConfigureAwait(false));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _refreshGate.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool IsForGateway(Uri? uri) =>
        uri is { IsAbsoluteUri: true }
        && Uri.Compare(uri, _options.Gateway, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private void Attach(HttpRequestMessage request, SignedHeader header)
    {
        request.Headers.Remove(_options.HeaderName);
        request.Headers.TryAddWithoutValidation(_options.HeaderName, header.Value);
    }

    private async Task<bool> IsStaleBlockRefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.Unauthorized
            || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
            || response.Content.Headers.ContentLength is null or > 4096)
        {
            return false;
        }

        // Buffered, so the caller can still read the body of a response that is returned.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return problem.RootElement.ValueKind == JsonValueKind.Object
                && problem.RootElement.TryGetProperty("code", out JsonElement code)
                && code.ValueKind == JsonValueKind.String
                && (code.GetString() is "block_expired" or "block_unknown" || LearnDifficulty(problem.RootElement, code.GetString()));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Uri BlockUri(Uri gateway, string pathPrefix)
    {
        string basePath = gateway.AbsolutePath.TrimEnd('/');
        var builder = new UriBuilder(gateway) { Path = basePath + "/" + pathPrefix.Trim('/') + "/block", Query = "", Fragment = "" };
        return builder.Uri;
    }

    /// <summary>A signed header and when it was made (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    private sealed record SignedHeader(string Value, long CreatedAt);
}
