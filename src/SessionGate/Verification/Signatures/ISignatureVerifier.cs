using SessionGate.Crypto;

namespace SessionGate.Verification.Signatures;

/// <summary>
/// Verifies sr25519 signatures for the verifier's miss path (first-seen headers). The default
/// implementation groups concurrent calls into batches; any implementation must agree with
/// <see cref="Sr25519.Verify(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.
/// </summary>
public interface ISignatureVerifier
{
    /// <summary>True when the signature verifies; false (never an exception) for any malformed input.</summary>
    ValueTask<bool> VerifyAsync(Sr25519SignatureItem item, CancellationToken cancellationToken = default);
}
