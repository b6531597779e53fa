namespace SessionGate.Crypto;

/// <summary>One signature to verify in a batch: what <see cref="Sr25519.Verify(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> takes, held as memory.</summary>
/// <param name="PublicKey">The 32-byte ristretto255 public key.</param>
/// <param name="Context">The signing context (e.g. <c>substrate</c>).</param>
/// <param name="Message">The signed message.</param>
/// <param name="Signature">The 64-byte signature R ‖ s.</param>
public readonly record struct Sr25519SignatureItem(ReadOnlyMemory<byte> PublicKey, ReadOnlyMemory<byte> Context, ReadOnlyMemory<byte> Message, ReadOnlyMemory<byte> Signature);
