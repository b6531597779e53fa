// The Merlin transcript schnorrkel signs and verifies over (schnorrkel 0.11, sign.rs / context.rs):
//   t = Transcript("SigningContext"); t.append("", context); t.append("sign-bytes", message);
//   t.append("proto-name", "Schnorr-sig"); t.append("sign:pk", A); [r from witness]; t.append("sign:R", R);
//   k = challenge_scalar("sign:c") = 64 challenge bytes reduced mod ℓ.
namespace SessionGate.Crypto;

internal static class Sr25519Transcript
{
    /// <summary>The transcript after the context, message, protocol name and public key.</summary>
    public static MerlinTranscript Begin(ReadOnlySpan<byte> context, ReadOnlySpan<byte> message, ReadOnlySpan<byte> publicKey)
    {
        var transcript = new MerlinTranscript("SigningContext"u8);
        transcript.AppendMessage(""u8, context);
        transcript.AppendMessage("sign-bytes"u8, message);
        transcript.AppendMessage("proto-name"u8, "Schnorr-sig"u8);
        transcript.AppendMessage("sign:pk"u8, publicKey);
        return transcript;
    }

    /// <summary>Commits R and returns the challenge scalar k as 32 reduced bytes.</summary>
    public static void Challenge(ref MerlinTranscript transcript, ReadOnlySpan<byte> encodedR, Span<byte> challenge32)
    {
        transcript.AppendMessage("sign:R"u8, encodedR);
        Span<byte> wide = stackalloc byte[64];
        transcript.ChallengeBytes("sign:c"u8, wide);
        Scalar52.FromBytesWide(wide).ToBytes(challenge32);
    }
}
