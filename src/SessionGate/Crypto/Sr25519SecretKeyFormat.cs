namespace SessionGate.Crypto;

/// <summary>The two 64-byte secret key layouts in use with sr25519.</summary>
public enum Sr25519SecretKeyFormat
{
    /// <summary>
    /// schnorrkel's <c>SecretKey::to_bytes</c>: the canonical scalar (below ℓ) ‖ nonce.
    /// Also what <c>@scure/sr25519</c> uses.
    /// </summary>
    Schnorrkel = 0,

    /// <summary>
    /// schnorrkel's <c>to_ed25519_bytes</c>: the scalar multiplied by the cofactor 8 ‖ nonce. This is
    /// the secret half of the 96-byte key pairs that <c>@polkadot/wasm-crypto</c> and polkadot{.js} hold.
    /// </summary>
    Ed25519 = 1,
}
