// The verdict cache's key: SHA-256 of the header's canonical content (public key, block hash,
// nonce, account payload, signature bytes; KiraSessionHeader.TryReadCanonical), not of its text. So
// every spelling the parser accepts (hex case, 0x, whitespace, escapes, member order, nonce as number
// or string) maps to one entry: re-spelling a signed header neither buys a new signature check nor
// evicts anyone's verdict.
//
// It runs on every request, so the parse is memoized: SHA-256 of the exact text → the canonical key,
// in a bounded cache of its own (the spelling cache). A client reusing its header (what the SDKs do)
// costs one hash of the text and two lookups, as cheap as the old text-keyed cache; a new spelling
// costs one allocation-free parse more. Re-spellings can only evict other spellings, never a
// verdict: an evicted spelling is parsed again, nothing more. Malformed text is never memoized.
using System.Security.Cryptography;
using System.Text;
using SessionGate.Protocol;

namespace SessionGate.Verification;

internal sealed partial class SessionVerifier
{
    private bool TryReadCacheKey(string headerValue, out Bytes32 key, out string? error)
    {
        key = default;
        if (headerValue.Length > KiraSessionHeader.MaxLength)
        {
            error = $"The header is longer than {KiraSessionHeader.MaxLength} bytes.";
            return false;
        }

        // Sized to the header (a few hundred bytes), not to the worst case: a stackalloc is zeroed,
        // and zeroing MaxLength × 3 bytes on every request showed in the issue 12 profile.
        int length = Encoding.UTF8.GetByteCount(headerValue);
        if (length > KiraSessionHeader.MaxLength)
        {
            error = $"The header is longer than {KiraSessionHeader.MaxLength} bytes.";
            return false;
        }

        Span<byte> utf8 = stackalloc byte[length];
        Encoding.UTF8.GetBytes(headerValue, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, digest);
        var spelling = new Bytes32(digest);
        if (_spellings.TryGet(spelling, out key))
        {
            error = null;
            return true;
        }

        Span<byte> content = stackalloc byte[KiraSessionHeader.CanonicalContentSize];
        if (!KiraSessionHeader.TryReadCanonical(utf8, _options.AddressPrefix, content, out error))
        {
            return false;
        }

        SHA256.HashData(content, digest);
        key = new Bytes32(digest);
        _spellings.Set(spelling, key, _options.Window + _options.ClockSkew);
        return true;
    }
}
