using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Verification.Signatures;

/// <summary>The kira_session signature check through an <see cref="ISignatureVerifier"/>.</summary>
internal static class SignatureVerifierExtensions
{
    /// <summary>
    /// What <see cref="KiraSessionHeader.VerifySignature"/> checks: the signed message, or the same
    /// message wrapped as &lt;Bytes&gt;…&lt;/Bytes&gt; (polkadot{.js} signRaw), tried only when the first fails.
    /// </summary>
    public static async ValueTask<bool> VerifyHeaderAsync(this ISignatureVerifier verifier, KiraSessionHeader header, ReadOnlyMemory<byte> context, CancellationToken cancellationToken)
    {
        byte[] publicKey = header.PublicKey.ToArray();
        byte[] message = header.GetSignedMessage();
        if (await verifier.VerifyAsync(new Sr25519SignatureItem(publicKey, context, message, header.Signature), cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        byte[] wrapped = [.. "<Bytes>"u8, .. message, .. "</Bytes>"u8];
        return await verifier.VerifyAsync(new Sr25519SignatureItem(publicKey, context, wrapped, header.Signature), cancellationToken).ConfigureAwait(false);
    }
}
