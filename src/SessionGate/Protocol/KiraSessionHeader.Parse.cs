// Strict parsing of the kira_session header: one JSON object with exactly the five fields, no
// duplicates, no unknown fields, no nesting, within 2 KiB. Any deviation is "session_malformed".
// One reader (ReadFields) serves both the full parse (TryParse, which keeps the account and block
// hash as sent, for the signed message) and the allocation-free canonical form (TryReadCanonical,
// the verdict cache's key), so the two can never disagree about what is well-formed.
using System.Buffers;
using System.Buffers.Binary;
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
        Span<byte> content = stackalloc byte[CanonicalContentSize];
        var text = new SentText();
        if (!TryReadSafely(utf8, addressPrefix, content, ref text, out error))
        {
            return false;
        }

        header = new KiraSessionHeader(
            new Bytes32(content[..32]),
            text.Account!,
            text.Account!.ToLowerInvariant(),
            text.BlockHash!,
            new Bytes32(content[32..64]),
            BinaryPrimitives.ReadUInt64LittleEndian(content[64..72]),
            content[92..].ToArray());
        return true;
    }

    /// <summary>
    /// Reads the header's canonical content (<see cref="CanonicalContentSize"/> bytes: what decides
    /// its verdict, independent of how it is spelled) without allocating. Exactly as strict as
    /// <see cref="TryParse(ReadOnlySpan{byte}, string, out KiraSessionHeader?, out string?)"/>:
    /// true here if and only if that parse succeeds.
    /// </summary>
    /// <param name="utf8">The header value.</param>
    /// <param name="addressPrefix">The accounts' bech32 prefix.</param>
    /// <param name="content">At least <see cref="CanonicalContentSize"/> bytes.</param>
    /// <param name="error">Why the header is malformed, when false.</param>
    public static bool TryReadCanonical(ReadOnlySpan<byte> utf8, string addressPrefix, Span<byte> content, out string? error)
    {
        var text = new SentText(capture: false);
        return TryReadSafely(utf8, addressPrefix, content, ref text, out error);
    }

    private static bool TryReadSafely(ReadOnlySpan<byte> utf8, string addressPrefix, Span<byte> content, ref SentText text, out string? error)
    {
        if (utf8.Length > MaxLength)
        {
            error = $"The header is longer than {MaxLength} bytes.";
            return false;
        }

        if (utf8.IsEmpty)
        {
            error = "The header is empty.";
            return false;
        }

        try
        {
            return ReadFields(utf8, addressPrefix, content, ref text, out error);
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

    // Fills content = pubkey(32) ‖ block hash(32) ‖ nonce(8, little-endian) ‖ account payload(20) ‖ signature(64).
    private static bool ReadFields(ReadOnlySpan<byte> utf8, string addressPrefix, Span<byte> content, ref SentText text, out string? error)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 2, CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "The header must be a JSON object.";
            return false;
        }

        // Unescaped string values are read in place; an escaped one (legal JSON, so accepted) is
        // unescaped into a buffer rented for the rest of this parse (the reader needs room for the
        // escaped length, which a header's 2 KiB bound).
        byte[]? scratch = null;
        try
        {
            return ReadMembers(ref reader, addressPrefix, content, ref text, ref scratch, out error);
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }

    private static bool ReadMembers(ref Utf8JsonReader reader, string addressPrefix, Span<byte> content, ref SentText text, ref byte[]? scratch, out string? error)
    {
        Fields seen = Fields.None;
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
            bool ok;
            switch (field)
            {
                case Fields.PublicKey:
                    ok = TryGetString(in reader, ref scratch, out ReadOnlySpan<byte> key) && HexCodec.TryDecode(key, content[..32]);
                    break;
                case Fields.BlockHash:
                    ok = TryGetString(in reader, ref scratch, out ReadOnlySpan<byte> hash) && HexCodec.TryDecode(hash, content[32..64]);
                    if (ok)
                    {
                        text.SetBlockHash(hash);
                    }

                    break;
                case Fields.Nonce:
                    ok = TryReadNonce(ref reader, out ulong nonce);
                    BinaryPrimitives.WriteUInt64LittleEndian(content[64..72], nonce);
                    break;
                case Fields.Account:
                    ok = TryGetString(in reader, ref scratch, out ReadOnlySpan<byte> account) && AccountAddress.TryDecode(account, addressPrefix, content[72..92]);
                    if (ok)
                    {
                        text.SetAccount(account);
                    }

                    break;
                default:
                    ok = TryGetString(in reader, ref scratch, out ReadOnlySpan<byte> signature) && HexCodec.TryDecode(signature, content[92..(92 + Crypto.Sr25519.SignatureSize)]);
                    break;
            }

            if (!ok)
            {
                // Built only on failure: an interpolated message per parse would allocate on every request.
                error = field switch
                {
                    Fields.PublicKey => "pubkey must be a string of 32 bytes of hex (0x optional).",
                    Fields.BlockHash => "block_hash must be a string of 32 bytes of hex.",
                    Fields.Nonce => "nonce must be an unsigned 64-bit integer (a JSON number or a decimal string).",
                    Fields.Account => $"account must be a bech32 address with prefix '{addressPrefix}' and a 20-byte payload.",
                    _ => "signature must be a string of 64 bytes of hex (0x optional).",
                };
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

        error = null;
        return true;
    }

    // The string token's unescaped UTF-8 bytes; false for a non-string or one too long for any field.
    private static bool TryGetString(in Utf8JsonReader reader, ref byte[]? scratch, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            value = reader.ValueSpan;
            return true;
        }

        // An escaped value unescapes to at most its escaped length, itself at most MaxLength.
        scratch ??= ArrayPool<byte>.Shared.Rent(MaxLength);
        int written = reader.CopyString(scratch);
        value = scratch.AsSpan(0, written);
        return true;
    }

    private static bool TryReadNonce(ref Utf8JsonReader reader, out ulong nonce)
    {
        nonce = 0;
        ReadOnlySpan<byte> digits;
        if (reader.TokenType == JsonTokenType.Number || (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped))
        {
            digits = reader.ValueSpan;
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

    // The account and block hash as sent (unescaped): only the full parse keeps them (they are part
    // of the signed message); the canonical read does not allocate them.
    private struct SentText(bool capture)
    {
        public SentText()
            : this(capture: true)
        {
        }

        public string? Account { get; private set; }

        public string? BlockHash { get; private set; }

        public void SetAccount(ReadOnlySpan<byte> utf8)
        {
            if (capture)
            {
                Account = Encoding.ASCII.GetString(utf8);
            }
        }

        public void SetBlockHash(ReadOnlySpan<byte> utf8)
        {
            if (capture)
            {
                BlockHash = Encoding.ASCII.GetString(utf8);
            }
        }
    }
}
