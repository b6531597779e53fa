using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace SessionGate.Balances;

internal sealed partial class CosmosRestBalanceSource
{
    private enum PageStatus
    {
        Ok = 0,
        AddressRefused = 1,
        NodeFailed = 2,
        Malformed = 3,
    }

    private readonly record struct PageAnswer(PageStatus Status, BalancePage Page, DateTimeOffset ReadAt, string? Reason)
    {
        public static PageAnswer NodeFailed(string reason) => new(PageStatus.NodeFailed, default, default, reason);

        public static PageAnswer Malformed(string reason) => new(PageStatus.Malformed, default, default, "malformed response: " + reason);
    }

    /// <summary>One GET, bounded in time (on the injected clock) and in size, read into a <see cref="BalancePage"/>.</summary>
    private async Task<PageAnswer> FetchPageAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using HttpResponseMessage response = await _httpClient
                .GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            DateTimeOffset readAt = _timeProvider.GetUtcNow();
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                return new PageAnswer(PageStatus.AddressRefused, default, readAt, null);
            }

            if (!response.IsSuccessStatusCode)
            {
                return PageAnswer.NodeFailed("HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            }

            byte[]? body = await ReadBodyAsync(response.Content, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                return PageAnswer.Malformed($"larger than {MaxResponseBytes} bytes");
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                return PageAnswer.Malformed("not JSON");
            }

            using (document)
            {
                BalancePage page = CosmosBalancesJson.Read(document.RootElement, _denom, _decimals);
                return page.Kind == BalancePageKind.Malformed
                    ? PageAnswer.Malformed(page.Reason!)
                    : new PageAnswer(PageStatus.Ok, page, readAt, null);
            }
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return PageAnswer.NodeFailed(timeout.IsCancellationRequested
                ? $"no answer within {_requestTimeout.TotalMilliseconds:0} ms"
                : $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Reads the body, or returns null once it exceeds <see cref="MaxResponseBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + read > MaxResponseBytes)
                    {
                        return null;
                    }

                    body.Write(chunk, 0, read);
                }

                return body.ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }
}
