using System.Text.Json;
using SessionGate.Protocol;

namespace SessionGate.Client;

/// <summary>
/// Reads the gateway's <c>GET {PathPrefix}/block</c> answer, <c>{"height":…,"hash":"…","time":"…","difficulty":…}</c>.
/// Only the hash is needed to sign; it is used exactly as sent (it is part of the signed message).
/// The difficulty (absent from older gateways: 0) is what the header's nonce must solve.
/// </summary>
internal static class LatestBlock
{
    /// <summary>The block hash as sent and the difficulty challenge in force.</summary>
    public sealed record Answer(string Hash, int Difficulty);

    public static async Task<Answer> FetchAsync(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, Uri blockUri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, blockUri);
        HttpResponseMessage response;
        try
        {
            response = await send(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new KiraSessionException($"Cannot reach the gateway at {blockUri}: {e.Message}", e);
        }

        using (response)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                string code = TryReadString(body, "code") is { } c ? $" ({c})" : "";
                throw new KiraSessionException($"The gateway answered {(int)response.StatusCode}{code} to {blockUri}; is this a SessionGate gateway with this path prefix?");
            }

            return TryReadString(body, "hash") is { } hash && Bytes32.TryParseHex(hash, out _)
                ? new Answer(hash, TryReadDifficulty(body))
                : throw new KiraSessionException($"The answer of {blockUri} has no block hash; is this a SessionGate gateway?");
        }
    }

    private static int TryReadDifficulty(string json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("difficulty", out JsonElement value) && value.TryGetInt32(out int difficulty)
                ? Math.Clamp(difficulty, 0, DifficultyChallenge.MaxDifficulty)
                : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private static string? TryReadString(string json, string property)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(property, out JsonElement value)
                && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
