using System.Text;
using SessionGate.Crypto;

namespace SessionGate.Tests.Crypto;

public sealed class KnownAnswerTests
{
    [Fact]
    public void Merlin_SimpleTranscript_MatchesMerlinCrate()
    {
        var transcript = new MerlinTranscript("test protocol"u8);
        transcript.AppendMessage("some label"u8, "some data"u8);
        byte[] challenge = new byte[32];
        transcript.ChallengeBytes("challenge"u8, challenge);
        Assert.Equal("d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615", Hex.Encode(challenge));
    }

    [Fact]
    public void Ristretto_BasepointAndDouble_EncodeAsRfc9496()
    {
        Assert.Equal("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76", Hex.Encode(Ristretto255.Encode(EdwardsPoint.Basepoint)));
        Assert.Equal("6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919", Hex.Encode(Ristretto255.Encode(EdwardsPoint.Basepoint.Double())));
        byte[] two = new byte[32];
        two[0] = 2;
        Assert.Equal("6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919", Hex.Encode(Ristretto255.Encode(ScalarMultiplication.BasepointMul(two))));
    }

    [Fact]
    public void SignVerify_RoundTrip_Verifies()
    {
        using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(new byte[32]);
        byte[] message = Encoding.UTF8.GetBytes("hello");
        byte[] signature = pair.Sign(message);
        Assert.True(Sr25519.Verify(pair.PublicKey, message, signature));
        signature[5] ^= 1;
        Assert.False(Sr25519.Verify(pair.PublicKey, message, signature));
    }
}
