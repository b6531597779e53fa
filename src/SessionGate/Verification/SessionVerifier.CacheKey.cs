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
//
// In front of it, the reused-header memo (issue 16): the exact header string → the canonical key, so
// a client reusing its header costs a string hash and one full ordinal comparison instead of the
// UTF-8 encoding and SHA-256 of the text (the largest SessionGate frame of a cache hit in the issue 12
// profile). Equality is decided by comparing the whole string, never by a hash; the dictionary's
// string hashing is randomized, so colliding keys cannot be precomputed. It holds the header text, so
// it is bounded by bytes: at most ReusedHeaderCapacity strings of at most ReusedHeaderMaxLength
// characters (UTF-16: 4,096 × 2 KiB = 8 MiB of text at worst, about 3.5 MiB with real ~400-character
// headers); longer spellings and the rest of the working set go through the SHA-256 spelling cache as
// before. Only well-formed texts enter it (after the parse), like the spelling cache.
using System.Security.Cryptography;
using System.Text;
using SessionGate.Protocol;

namespace SessionGate.Verification;

internal sealed partial class SessionVerifier
{
    /// <summary>Most header strings the reused-header memo holds.</summary>
    internal const int ReusedHeaderCapacity = 4096;

    /// <summary>Longest header (characters) the reused-header memo holds; a signed header is about 400.</summary>
    internal const int ReusedHeaderMaxLength = 1024;

    private bool TryReadCacheKey(string headerValue, out Bytes32 key, out string? error)
    {
        if (headerValue.Length <= ReusedHeaderMaxLength && _reusedHeaders.TryGet(headerValue, out key))
        {
            error = null;
            return true;
        }

        if (!TryReadCacheKeyBySpelling(headerValue, out key, out error))
        {
            return false;
        }

        if (headerValue.Length <= ReusedHeaderMaxLength)
        {
            _reusedHeaders.Set(headerValue, key, _options.Window + _options.ClockSkew);
        }

        return true;
    }

    private bool TryReadCacheKeyBySpelling(string headerValue, out Bytes32 key, out string? error)
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
