using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using SessionGate.Crypto;

namespace SessionGate.Tests.Crypto;

public sealed class Sr25519Tests
{
    [Fact]
    public void Sign_AnyContextAndMessage_VerifiesOnlyUnderTheSameContextAndMessage()
    {
        Prop.ForAll(
            ArbMap.Default.GeneratorFor<byte>().ArrayOf(32).ToArbitrary(),
            ArbMap.Default.ArbFor<byte[]>(),
            ArbMap.Default.ArbFor<byte[]>(),
            (seed, context, message) =>
            {
                using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(seed);
                byte[] signature = pair.Sign(context, message);
                byte[] otherContext = [.. context, 0];
                byte[] otherMessage = [.. message, 0];
                return Sr25519.Verify(pair.PublicKey, context, message, signature)
                    && !Sr25519.Verify(pair.PublicKey, otherContext, message, signature)
                    && !Sr25519.Verify(pair.PublicKey, context, otherMessage, signature)
                    && (signature[63] & 0x80) != 0;
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Verify_ArbitraryGarbage_ReturnsFalseWithoutThrowing()
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<byte[]>(),
            ArbMap.Default.ArbFor<byte[]>(),
            ArbMap.Default.ArbFor<byte[]>(),
            (publicKey, message, signature) => !Sr25519.Verify(publicKey, message, signature))
            .QuickCheckThrowOnFailure();

        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            byte[] publicKey = new byte[32], signature = new byte[64];
            random.NextBytes(publicKey);
            random.NextBytes(signature);
            Assert.False(Sr25519.Verify(publicKey, "x"u8, signature));
        }
    }

    [Fact]
    public void Verify_IdentityPublicKeyForgery_IsRejected()
    {
        // Under the identity key, R = s·B satisfies schnorrkel's equation for any s; we refuse the key.
        byte[] s = new byte[32];
        s[0] = 5;
        byte[] signature = new byte[64];
        Ristretto255.Encode(ScalarMultiplication.BasepointMul(s), signature.AsSpan(0, 32));
        s.CopyTo(signature, 32);
        signature[63] |= 0x80;

        Assert.False(Sr25519.Verify(new byte[32], "anything"u8, signature));
        Assert.False(Sr25519.IsValidPublicKey(new byte[32]));
    }

    [Fact]
    public void Verify_SignatureWithSPlusOrder_IsRejected()
    {
        using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(new byte[32]);
        for (int i = 0; i < 50; i++)
        {
            byte[] message = [(byte)i];
            byte[] signature = pair.Sign(message);
            var s = new System.Numerics.BigInteger(signature.AsSpan(32, 32).ToArray().Select((b, j) => j == 31 ? (byte)(b & 0x7f) : b).ToArray(), isUnsigned: true);
            System.Numerics.BigInteger unreduced = s + Scalar52.OrderValue;
            if (unreduced >= System.Numerics.BigInteger.Pow(2, 255))
            {
                continue;
            }

            byte[] forged = (byte[])signature.Clone();
            Array.Clear(forged, 32, 32);
            unreduced.TryWriteBytes(forged.AsSpan(32), out _, isUnsigned: true);
            forged[63] |= 0x80;
            Assert.True(Sr25519.Verify(pair.PublicKey, message, signature));
            Assert.False(Sr25519.Verify(pair.PublicKey, message, forged));
        }
    }

    [Fact]
    public void Sign_InjectedRandomness_IsDeterministicAndDefaultIsNot()
    {
        using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(new byte[32]);
        byte[] a = new byte[64], b = new byte[64];
        pair.Sign("substrate"u8, "m"u8, a, new FixedRandom(9));
        pair.Sign("substrate"u8, "m"u8, b, new FixedRandom(9));
        Assert.Equal(a, b);
        Assert.NotEqual(pair.Sign("m"u8), pair.Sign("m"u8));
    }

    [Fact]
    public void TryImportSecretKey_MalformedInput_ReturnsFalse()
    {
        Assert.False(Sr25519KeyPair.TryImportSecretKey(new byte[63], Sr25519SecretKeyFormat.Schnorrkel, out _));
        Assert.False(Sr25519KeyPair.TryImportSecretKey(new byte[65], Sr25519SecretKeyFormat.Ed25519, out _));
        byte[] notCanonical = Enumerable.Repeat((byte)0xff, 64).ToArray();
        Assert.False(Sr25519KeyPair.TryImportSecretKey(notCanonical, Sr25519SecretKeyFormat.Schnorrkel, out _));
        Assert.False(Sr25519KeyPair.TryImportSecretKey(new byte[64], (Sr25519SecretKeyFormat)7, out _));
    }

    [Fact]
    public void Dispose_ZeroesSecretsAndRefusesToSign()
    {
        Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)3, 32).ToArray());
        byte[] before = new byte[64];
        pair.ExportSecretKey(before, Sr25519SecretKeyFormat.Schnorrkel);
        Assert.Contains(before, b => b != 0);

        pair.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pair.Sign("m"u8));
        Assert.Throws<ObjectDisposedException>(() => pair.ExportSecretKey(new byte[64], Sr25519SecretKeyFormat.Schnorrkel));
        var secretField = typeof(Sr25519KeyPair).GetField("_secretScalar", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var nonceField = typeof(Sr25519KeyPair).GetField("_nonce", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        Assert.All((byte[])secretField.GetValue(pair)!, b => Assert.Equal(0, b));
        Assert.All((byte[])nonceField.GetValue(pair)!, b => Assert.Equal(0, b));
    }

    [Fact]
    public void FromMiniSecret_WrongLength_Throws() =>
        Assert.Throws<ArgumentException>(() => Sr25519KeyPair.FromMiniSecret(new byte[31]));

    private sealed class FixedRandom(byte value) : RandomNumberGenerator
    {
        public override void GetBytes(byte[] data) => Array.Fill(data, value);

        public override void GetBytes(Span<byte> data) => data.Fill(value);
    }
}
