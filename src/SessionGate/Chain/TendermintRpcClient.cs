using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SessionGate.Protocol;

namespace SessionGate.Chain;

/// <summary>
/// The three Tendermint RPC calls the feed makes (URI-over-GET style), each bounded by a timeout
/// measured on the injected clock and by a cap on the response size. Every outcome is a
/// <see cref="NodeAnswer"/>; nothing but cancellation by the caller's token is thrown.
/// </summary>
internal sealed class TendermintRpcClient
{
    /// <summary>
    /// Largest response read. <c>/block</c> carries the block's transactions, so a few MiB are
    /// normal; a node sending more than this is treated as unavailable rather than buffered.
    /// </summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    private readonly HttpClient _httpClient;
    private readonly Uri _baseUri;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public TendermintRpcClient(HttpClient httpClient, Uri baseUri, TimeSpan requestTimeout, TimeProvider timeProvider, ILogger logger)
    {
        _httpClient = httpClient;
        // Without a trailing slash, "http://host/rpc" + "status" would resolve to "http://host/status".
        _baseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _requestTimeout = requestTimeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary><c>GET status</c>: the node's newest block. A JSON-RPC error here is a failure.</summary>
    public Task<NodeAnswer> GetStatusAsync(CancellationToken cancellationToken) =>
        SendAsync("status", "status", ReadStatus, cancellationToken);

    /// <summary><c>GET block?height=N</c>.</summary>
    public Task<NodeAnswer> GetBlockAsync(long height, CancellationToken cancellationToken) =>
        SendAsync("block?height=" + height.ToString(CultureInfo.InvariantCulture), "block", TendermintJson.ReadBlock, cancellationToken);

    /// <summary><c>GET block_by_hash?hash=0x&lt;HEX&gt;</c>.</summary>
    public Task<NodeAnswer> GetBlockByHashAsync(Bytes32 hash, CancellationToken cancellationToken) =>
        SendAsync("block_by_hash?hash=0x" + hash.ToUpperHex(), "block_by_hash", TendermintJson.ReadBlock, cancellationToken);

    private static NodeAnswer ReadStatus(JsonElement root)
    {
        if (TendermintJson.IsRpcError(root))
        {
            return NodeAnswer.Failed("JSON-RPC error");
        }

        return TendermintJson.TryReadStatus(root, out BlockInfo? block, out string reason)
            ? NodeAnswer.Found(block!, TendermintJson.ReadNetwork(root))
            : NodeAnswer.Failed(reason);
    }

    private async Task<NodeAnswer> SendAsync(string relativeUri, string endpoint, Func<JsonElement, NodeAnswer> read, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using HttpResponseMessage response = await _httpClient
                .GetAsync(new Uri(_baseUri, relativeUri), HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            using MemoryStream? body = await ReadBodyAsync(response.Content, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                return Malformed(endpoint, $"response larger than {MaxResponseBytes} bytes");
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
            }
            catch (JsonException)
            {
                return response.IsSuccessStatusCode ? Malformed(endpoint, "not JSON") : NodeAnswer.Failed(HttpStatus(response));
            }

            using (document)
            {
                // Tendermint answers JSON-RPC errors (e.g. "height must be less than or equal to the
                // current blockchain height") with HTTP 500 and a JSON body: that is an answer, not an outage.
                if (!response.IsSuccessStatusCode && !TendermintJson.IsRpcError(document.RootElement))
                {
                    return NodeAnswer.Failed(HttpStatus(response));
                }

                NodeAnswer answer = read(document.RootElement);
                return answer.Kind == NodeAnswerKind.Failed ? Malformed(endpoint, answer.Reason!) : answer;
            }
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return NodeAnswer.Failed(timeout.IsCancellationRequested
                ? $"no answer within {_requestTimeout.TotalMilliseconds:0} ms"
                : $"{e.GetType().Name}: {e.Message}");
        }
    }

    private NodeAnswer Malformed(string endpoint, string reason)
    {
        Log.ResponseMalformed(_logger, endpoint, reason);
        return NodeAnswer.Failed("malformed response: " + reason);
    }

    private static string HttpStatus(HttpResponseMessage response) =>
        "HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads the body, or returns null once it exceeds <see cref="MaxResponseBytes"/>.</summary>
    private static async Task<MemoryStream?> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var body = new MemoryStream();
            byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + read > MaxResponseBytes)
                    {
                        await body.DisposeAsync().ConfigureAwait(false);
                        return null;
                    }

                    body.Write(chunk, 0, read);
                }

                return body;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }
}
