using System.Text.Json;

namespace SessionGate.AspNetCore.Grants;

/// <summary>
/// The body of <c>POST {PathPrefix}/grants</c> and <c>/grants/revoke</c> (docs/grants.md §2):
/// <c>{"message": "…", "signature": {"pub_key": {"type": "tendermint/PubKeySecp256k1", "value": "…"}, "signature": "…"}}</c>,
/// Keplr's <c>signArbitrary</c> answer beside the signed text. Every problem is collected.
/// </summary>
internal sealed record GrantRequestBody(string Message, byte[] PublicKey, byte[] Signature, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    public const string PubKeyType = "tendermint/PubKeySecp256k1";

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    public static GrantRequestBody Parse(ReadOnlyMemory<byte> json)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, Options);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = ["The body must be a JSON object with \"message\" and \"signature\"."];
                return new("", [], [], errors);
            }

            string message = "";
            if (root.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String)
            {
                message = m.GetString()!;
            }
            else
            {
                errors["message"] = ["Required: the exact text the wallet signed."];
            }

            byte[] publicKey = [];
            byte[] signature = [];
            if (!root.TryGetProperty("signature", out JsonElement s) || s.ValueKind != JsonValueKind.Object)
            {
                errors["signature"] = ["Required: the object signArbitrary returns, {\"pub_key\": {…}, \"signature\": \"…\"}."];
            }
            else
            {
                if (!s.TryGetProperty("pub_key", out JsonElement pk) || pk.ValueKind != JsonValueKind.Object)
                {
                    errors["signature.pub_key"] = ["Required: {\"type\": \"" + PubKeyType + "\", \"value\": \"<base64>\"}."];
                }
                else
                {
                    if (!pk.TryGetProperty("type", out JsonElement type) || type.ValueKind != JsonValueKind.String || type.GetString() != PubKeyType)
                    {
                        errors["signature.pub_key.type"] = ["Must be \"" + PubKeyType + "\"."];
                    }

                    publicKey = Base64(pk, "value", "signature.pub_key.value", 33, errors);
                }

                signature = Base64(s, "signature", "signature.signature", 64, errors);
            }

            return new(message, publicKey, signature, errors);
        }
        catch (JsonException)
        {
            errors["body"] = ["The body is not valid JSON."];
            return new("", [], [], errors);
        }
    }

    private static byte[] Base64(JsonElement parent, string name, string path, int size, Dictionary<string, IReadOnlyList<string>> errors)
    {
        if (parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: <= 256 } text && Convert.TryFromBase64String(text, new byte[192], out int written))
        {
            byte[] bytes = Convert.FromBase64String(text);
            if (written == size)
            {
                return bytes;
            }

            errors[path] = [$"Must be the base64 of {size} bytes; got {written}."];
            return bytes;
        }

        errors[path] = ["Required: a base64 string."];
        return [];
    }
}
