using System.Text;
using SessionGate.Crypto;
using static SessionGate.Tests.Crypto.Sr25519ReferenceVectorTests;

namespace SessionGate.Tests.Crypto;

/// <summary>Batch verification agrees with single verification on every reference vector and isolates bad signatures.</summary>
public sealed class Sr25519BatchTests
{
    private static readonly byte[] Context = Sr25519.SubstrateContext.ToArray();

    [Fact]
    public void VerifyEach_AllReferenceVectorsMixed_AgreesWithSingleVerify()
    {
        Sr25519SignatureItem[] items = ReferenceItems();
        var random = new Random(7);
        random.Shuffle(items);
        var results = new bool[items.Length];

        Sr25519.VerifyEach(items, results);

        var failures = new List<int>();
        for (int i = 0; i < items.Length; i++)
        {
            if (results[i] != VerifySingle(items[i]))
            {
                failures.Add(i);
            }
        }

        Assert.Empty(failures);
        Assert.Contains(results, r => r);
        Assert.Contains(results, r => !r);
    }

    [Fact]
    public void VerifyBatch_EachReferenceVectorAmongValidOnes_AgreesWithSingleVerify()
    {
        Sr25519SignatureItem[] valid = SignedItems(3, seed: 11);
        var failures = new List<int>();
        Sr25519SignatureItem[] items = ReferenceItems();
        for (int i = 0; i < items.Length; i++)
        {
            bool single = VerifySingle(items[i]);
            if (Sr25519.VerifyBatch([items[i]]) != single || Sr25519.VerifyBatch([valid[0], items[i], valid[1], valid[2]]) != single)
            {
                failures.Add(i);
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(64)]
    [InlineData(130)]
    public void VerifyBatch_AllValid_ReturnsTrue(int count)
    {
        Assert.True(Sr25519.VerifyBatch(SignedItems(count, seed: count)));
    }

    [Fact]
    public void VerifyBatch_Empty_ReturnsTrue() => Assert.True(Sr25519.VerifyBatch([]));

    [Theory]
    [InlineData(64, new[] { 0 })]
    [InlineData(64, new[] { 63 })]
    [InlineData(64, new[] { 5, 6, 40 })]
    [InlineData(17, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 })]
    [InlineData(100, new[] { 64, 99 })]
    public void VerifyEach_BadSignaturesAmongGood_RejectsOnlyTheBadOnes(int count, int[] bad)
    {
        Sr25519SignatureItem[] items = SignedItems(count, seed: 3);
        foreach (int index in bad)
        {
            byte[] message = items[index].Message.ToArray();
            message[0] ^= 1;
            items[index] = items[index] with { Message = message };
        }

        var results = new bool[count];
        Sr25519.VerifyEach(items, results);

        Assert.False(Sr25519.VerifyBatch(items));
        Assert.Equal(Enumerable.Range(0, count).Select(i => !bad.Contains(i)), results);
    }

    [Fact]
    public void VerifyEach_MalformedItems_ReturnsFalseWithoutThrowing()
    {
        Sr25519SignatureItem good = SignedItems(1, seed: 5)[0];
        byte[] noMarker = good.Signature.ToArray();
        noMarker[63] &= 0x7f;
        byte[] badR = good.Signature.ToArray();
        badR[0] |= 1; // an odd s is never a canonical ristretto255 encoding
        Sr25519SignatureItem[] items =
        [
            good,
            good with { PublicKey = ReadOnlyMemory<byte>.Empty },
            good with { PublicKey = new byte[32] }, // the identity key
            good with { PublicKey = Enumerable.Repeat((byte)0xff, 32).ToArray() },
            good with { Signature = good.Signature[..63] },
            good with { Signature = noMarker },
            good with { Signature = badR },
            default,
        ];
        var results = new bool[items.Length];

        Sr25519.VerifyEach(items, results);

        Assert.Equal([true, false, false, false, false, false, false, false], results);
        Assert.False(Sr25519.VerifyBatch(items));
    }

    [Fact]
    public void VerifyEach_ResultsOfWrongLength_Throws() =>
        Assert.Throws<ArgumentException>(() => Sr25519.VerifyEach(SignedItems(2, seed: 1), new bool[1]));

    internal static Sr25519SignatureItem[] SignedItems(int count, int seed)
    {
        var random = new Random(seed);
        var items = new Sr25519SignatureItem[count];
        for (int i = 0; i < count; i++)
        {
            byte[] secret = new byte[32];
            random.NextBytes(secret);
            using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(secret);
            byte[] message = new byte[random.Next(0, 200)];
            random.NextBytes(message);
            items[i] = new Sr25519SignatureItem(pair.PublicKey.ToArray(), Context, message, pair.Sign(Context, message));
        }

        return items;
    }

    private static Sr25519SignatureItem[] ReferenceItems() =>
        VectorFiles.Load<VerifyVector[]>("sr25519-verify.json")
            .Select(v => new Sr25519SignatureItem(Hex.Decode(v.PublicKey), Encoding.UTF8.GetBytes(v.Context), Hex.Decode(v.Message), Hex.Decode(v.Signature)))
            .ToArray();

    private static bool VerifySingle(Sr25519SignatureItem item) =>
        Sr25519.Verify(item.PublicKey.Span, item.Context.Span, item.Message.Span, item.Signature.Span);
}
