using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.Tests.Protocol;
using SessionGate.Verification.Signatures;

namespace SessionGate.Tests.Verification.Signatures;

/// <summary>The batched header check agrees with <see cref="KiraSessionHeader.VerifySignature"/>.</summary>
public sealed class SignatureVerifierExtensionsTests
{
    private static readonly byte[] Context = "substrate"u8.ToArray();

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(false, true, false)]
    public async Task VerifyHeaderAsync_PlainWrappedOrTampered_AgreesWithVerifySignature(bool wrapped, bool tampered, bool expected)
    {
        using Sr25519KeyPair key = SessionHeaders.Key();
        string account = SessionHeaders.Account();
        byte[] message = KiraSessionHeader.BuildSignedMessage(account, SessionHeaders.BlockHash, 0);
        byte[] signature = key.Sign(wrapped ? [.. "<Bytes>"u8, .. message, .. "</Bytes>"u8] : message);
        if (tampered)
        {
            signature[1] ^= 1;
        }

        string value = SessionHeaders.Raw($"\"{HexCodec.Encode(key.PublicKey)}\"", $"\"{account}\"", $"\"{SessionHeaders.BlockHash}\"", "0", $"\"{HexCodec.Encode(signature)}\"");
        Assert.True(KiraSessionHeader.TryParse(value, "kira", out KiraSessionHeader? header, out _));
        var counting = new CountingVerifier(new SignatureBatcher());

        bool valid = await counting.VerifyHeaderAsync(header!, Context, CancellationToken.None);

        Assert.Equal(expected, valid);
        Assert.Equal(header!.VerifySignature(Context), valid);
        Assert.Equal(wrapped || tampered ? 2 : 1, counting.Calls);
    }

    private sealed class CountingVerifier(ISignatureVerifier inner) : ISignatureVerifier
    {
        public int Calls { get; private set; }

        public ValueTask<bool> VerifyAsync(Sr25519SignatureItem item, CancellationToken cancellationToken = default)
        {
            Calls++;
            return inner.VerifyAsync(item, cancellationToken);
        }
    }
}
