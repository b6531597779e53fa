// Strict parsing of the kira_session header: one JSON object with exactly the five fields, no
// duplicates, no unknown fields, no nesting, within 2 KiB. Any deviation is "session_malformed".
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SessionGate.Protocol;

public sealed partial class KiraSessionHeader
{
    [Flags]
    private enum Fields
    {
        None = 0,
        PublicKey = 1,
        Account = 2,
        BlockHash = 4,
        Nonce = 8,
        Signature = 16,
        All = 31,
    }

    /// <summary>
    /// Parses a header value. Returns false, never throws, for anything malformed; <paramref name="error"/>
    /// then says what is wrong (safe to show a client: it never echoes the value).
    /// </summary>
    public static bool TryParse(string? value, string addressPrefix, out KiraSessionHeader? header, out string? error)
    {
        header = null;
        if (string.IsNullOrEmpty(value))
        {
            error = "The header is empty.";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"The header is longer than {MaxLength} bytes.";
            return false;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(value, buffer);
            if (length > MaxLength)
            {
                error = $"The header is longer than {MaxLength} bytes.";
                return false;
            }

            return TryParse(buffer.AsSpan(0, length), addressPrefix, out header, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses a header value given as UTF-8 bytes (see <see cref="TryParse(string?, string, out KiraSessionHeader?, out string?)"/>).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, string addressPrefix, out KiraSessionHeader? header, out string? error)
    {
        header = null;
        if (utf8.Length > MaxLength)
        {
            error = $"The header is longer than {MaxLength} bytes.";
            return false;
        }

        try
        {
            return TryRead(utf8, addressPrefix, out header, out error);
        }
        catch (JsonException)
        {
            error = "The header is not a valid JSON object.";
            return false;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader throws this for a value of an unexpected token type.
            error = "The header is not a valid JSON object.";
            return false;
        }
    }

    private static bool TryRead(ReadOnlySpan<byte> utf8, string addressPrefix, out KiraSessionHeader? header, out string? error)
    {
        header = null;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 2, CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "The header must be a JSON object.";
            return false;
        }

        Fields seen = Fields.None;
        Bytes32 publicKey = default, blockHash = default;
        string account = "", normalizedAccount = "", blockHashText = "";
        ulong nonce = 0;
        byte[] signature = [];

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Fields field = reader.ValueTextEquals("pubkey"u8) ? Fields.PublicKey
                : reader.ValueTextEquals("account"u8) ? Fields.Account
                : reader.ValueTextEquals("block_hash"u8) ? Fields.BlockHash
                : reader.ValueTextEquals("nonce"u8) ? Fields.Nonce
                : reader.ValueTextEquals("signature"u8) ? Fields.Signature
                : Fields.None;
            if (field == Fields.None)
            {
                error = "The header has an unknown field.";
                return false;
            }

            if ((seen & field) != 0)
            {
                error = "The header repeats a field.";
                return false;
            }

            seen |= field;
            reader.Read();
            bool ok = field switch
            {
                Fields.PublicKey => TryReadHex32(ref reader, out publicKey, out error, "pubkey must be a string of 32 bytes of hex (0x optional)."),
                Fields.BlockHash => TryReadBlockHash(ref reader, out blockHashText, out blockHash, out error),
                Fields.Account => TryReadAccount(ref reader, addressPrefix, out account, out normalizedAccount, out error),
                Fields.Nonce => TryReadNonce(ref reader, out nonce, out error),
                _ => TryReadSignature(ref reader, out signature, out error),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            error = "The header is not a single JSON object.";
            return false;
        }

        if (seen != Fields.All)
        {
            error = "The header must have pubkey, account, block_hash, nonce and signature.";
            return false;
        }

        header = new KiraSessionHeader(publicKey, account, normalizedAccount, blockHashText, blockHash, nonce, signature);
        error = null;
        return true;
    }

    private static bool TryReadHex32(ref Utf8JsonReader reader, out Bytes32 value, out string? error, string message)
    {
        value = default;
        error = message;
        return reader.TokenType == JsonTokenType.String && Bytes32.TryParseHex(reader.GetString(), out value);
    }

    private static bool TryReadBlockHash(ref Utf8JsonReader reader, out string text, out Bytes32 hash, out string? error)
    {
        text = "";
        hash = default;
        error = "block_hash must be a string of 32 bytes of hex.";
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        text = reader.GetString()!;
        return Bytes32.TryParseHex(text, out hash);
    }

    private static bool TryReadAccount(ref Utf8JsonReader reader, string prefix, out string account, out string normalized, out string? error)
    {
        account = "";
        normalized = "";
        error = $"account must be a bech32 address with prefix '{prefix}' and a 20-byte payload.";
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        account = reader.GetString()!;
        return AccountAddress.TryNormalize(account, prefix, out normalized);
    }

    private static bool TryReadNonce(ref Utf8JsonReader reader, out ulong nonce, out string? error)
    {
        nonce = 0;
        error = "nonce must be an unsigned 64-bit integer (a JSON number or a decimal string).";
        ReadOnlySpan<byte> digits;
        if (reader.TokenType == JsonTokenType.Number)
        {
            digits = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        }
        else if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            digits = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        }
        else
        {
            return false;
        }

        // Canonical decimal only: digits, no sign, fraction, exponent or leading zero, so one
        // nonce has one spelling and the signed message is unambiguous.
        if (digits.Length is 0 or > 20 || (digits.Length > 1 && digits[0] == (byte)'0'))
        {
            return false;
        }

        foreach (byte d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return System.Buffers.Text.Utf8Parser.TryParse(digits, out nonce, out int consumed) && consumed == digits.Length;
    }

    private static bool TryReadSignature(ref Utf8JsonReader reader, out byte[] signature, out string? error)
    {
        signature = new byte[Crypto.Sr25519.SignatureSize];
        error = "signature must be a string of 64 bytes of hex (0x optional).";
        return reader.TokenType == JsonTokenType.String && HexCodec.TryDecode(reader.GetString(), signature);
    }
}
