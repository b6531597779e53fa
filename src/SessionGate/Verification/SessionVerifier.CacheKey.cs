// The verdict cache's key: SHA-256 of the header's UTF-8 bytes. It runs on every request, cache hit
// or not, so it is kept apart from the verification pipeline (SessionVerifier.cs).
using System.Security.Cryptography;
using System.Text;
using SessionGate.Protocol;

namespace SessionGate.Verification;

internal sealed partial class SessionVerifier
{
    private static bool TryHashHeader(string headerValue, out Bytes32 hash)
    {
        hash = default;
        if (headerValue.Length > KiraSessionHeader.MaxLength)
        {
            return false;
        }

        // Sized to the header (a few hundred bytes), not to the worst case: a stackalloc is zeroed,
        // and zeroing MaxLength × 3 bytes on every request showed in the issue 12 profile.
        int length = Encoding.UTF8.GetByteCount(headerValue);
        if (length > KiraSessionHeader.MaxLength)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[length];
        Encoding.UTF8.GetBytes(headerValue, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, digest);
        hash = new Bytes32(digest);
        return true;
    }
}
