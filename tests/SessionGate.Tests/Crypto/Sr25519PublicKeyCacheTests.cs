using SessionGate.Crypto;

namespace SessionGate.Tests.Crypto;

public sealed class Sr25519PublicKeyCacheTests
{
    [Fact]
    public void TryDecode_ValidKeyTwice_GivesTheUncachedPointBothTimes()
    {
        var cache = new Sr25519PublicKeyCache(4);
        byte[] key = Sr25519BatchTests.SignedItems(1, seed: 9)[0].PublicKey.ToArray();
        Assert.True(Sr25519.DecodePublicKeyUncached(key, out EdwardsPoint expected));

        Assert.True(cache.TryDecode(key, out EdwardsPoint first));
        Assert.True(cache.TryDecode(key, out EdwardsPoint second));

        Assert.Equal(Ristretto255.Encode(expected), Ristretto255.Encode(first));
        Assert.Equal(Ristretto255.Encode(expected), Ristretto255.Encode(second));
    }

    [Fact]
    public void TryDecode_ManyMoreKeysThanSlots_EveryAnswerStaysCorrect()
    {
        // Two slots and 40 keys: collisions replace entries, and a hit is confirmed by the key bytes.
        var cache = new Sr25519PublicKeyCache(2);
        byte[][] keys = Sr25519BatchTests.SignedItems(40, seed: 2).Select(i => i.PublicKey.ToArray()).ToArray();
        for (int round = 0; round < 3; round++)
        {
            foreach (byte[] key in keys)
            {
                Assert.True(cache.TryDecode(key, out EdwardsPoint point));
                Assert.Equal(key, Ristretto255.Encode(point));
            }
        }

        Assert.Equal(2, cache.Capacity);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void TryDecode_WrongLength_ReturnsFalse(int length) =>
        Assert.False(new Sr25519PublicKeyCache(4).TryDecode(new byte[length], out _));

    [Fact]
    public void TryDecode_IdentityOrNonCanonicalKey_ReturnsFalseEveryTime()
    {
        var cache = new Sr25519PublicKeyCache(4);
        byte[] identity = new byte[32];
        byte[] nonCanonical = Enumerable.Repeat((byte)0xff, 32).ToArray();
        for (int i = 0; i < 2; i++)
        {
            Assert.False(cache.TryDecode(identity, out _));
            Assert.False(cache.TryDecode(nonCanonical, out _));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Constructor_CapacityNotAPowerOfTwo_Throws(int capacity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sr25519PublicKeyCache(capacity));
}
