// Merlin transcripts (merlin.cool, "Merlin v1.0"): Fiat-Shamir transcripts over STROBE-128.
// Includes the transcript RNG construction (witness bytes) that schnorrkel uses for signing nonces.
using System.Buffers.Binary;

namespace SessionGate.Crypto;

/// <summary>A Merlin transcript. A value type: copying it forks the transcript.</summary>
internal struct MerlinTranscript
{
    private Strobe128 _strobe;

    public MerlinTranscript(ReadOnlySpan<byte> label)
    {
        _strobe = new Strobe128("Merlin v1.0"u8);
        AppendMessage("dom-sep"u8, label);
    }

    public void AppendMessage(ReadOnlySpan<byte> label, ReadOnlySpan<byte> message)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)message.Length);
        _strobe.MetaAd(label, more: false);
        _strobe.MetaAd(length, more: true);
        _strobe.Ad(message, more: false);
    }

    public void ChallengeBytes(ReadOnlySpan<byte> label, Span<byte> destination)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)destination.Length);
        _strobe.MetaAd(label, more: false);
        _strobe.MetaAd(length, more: true);
        _strobe.Prf(destination, more: false);
    }

    /// <summary>
    /// Derives witness bytes as merlin's <c>TranscriptRngBuilder</c> does: a fork of the transcript
    /// rekeyed with each secret witness, then with 32 bytes of external randomness, then squeezed.
    /// The transcript itself is not modified.
    /// </summary>
    public readonly void WitnessBytes(ReadOnlySpan<byte> label, ReadOnlySpan<byte> witness, ReadOnlySpan<byte> randomness32, Span<byte> destination)
    {
        Strobe128 rng = _strobe;
        try
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)witness.Length);
            rng.MetaAd(label, more: false);
            rng.MetaAd(length, more: true);
            rng.Key(witness, more: false);

            rng.MetaAd("rng"u8, more: false);
            rng.Key(randomness32, more: false);

            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)destination.Length);
            rng.MetaAd(length, more: false);
            rng.Prf(destination, more: false);
        }
        finally
        {
            rng.Clear();
        }
    }
}
