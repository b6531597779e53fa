using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// Checks the <c>Authorization: Bearer &lt;key&gt;</c> credential in constant time: both values are
/// hashed with SHA-256 and the digests compared with FixedTimeEquals, so neither the content nor the
/// length of the configured key leaks through timing.
/// </summary>
internal sealed class AdminCredential
{
    private const string Scheme = "Bearer ";

    // A header far longer than any accepted key is refused before hashing (bounded work per request).
    private const int MaxHeaderLength = 1024;

    private readonly byte[] _expectedDigest;

    public AdminCredential(string apiKey) => _expectedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    public bool Matches(StringValues authorization)
    {
        if (authorization.Count != 1 || authorization[0] is not { } header || header.Length > MaxHeaderLength
            || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string presented = header[Scheme.Length..].Trim(' ');
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        return CryptographicOperations.FixedTimeEquals(digest, _expectedDigest);
    }
}
