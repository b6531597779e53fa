using System.Security.Cryptography;
using SessionGate.Protocol;

namespace SessionGate.Tests.Protocol;

/// <summary>
/// The challenge's hash input and leading-zero count, against the worked example of docs/protocol.md
/// (the vectors were computed with Python's hashlib, an independent SHA-256 and byte encoding).
/// </summary>
public sealed class DifficultyChallengeTests
{
    private static readonly Bytes32 PublicKey = Parse("44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f");
    private static readonly Bytes32 BlockHash = Parse("0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE");

    private static Bytes32 Parse(string hex) => Bytes32.TryParseHex(hex, out Bytes32 value) ? value : throw new ArgumentException(hex);

    [Fact]
    public void WriteInput_IsKeyThenBlockThenBigEndianNonce()
    {
        byte[] input = new byte[DifficultyChallenge.InputSize];
        DifficultyChallenge.WriteInput(PublicKey, BlockHash, 0x0102030405060708, input);

        Assert.Equal(72, input.Length);
        Assert.Equal(PublicKey.ToArray(), input[..32]);
        Assert.Equal(BlockHash.ToArray(), input[32..64]);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, input[64..]);
    }

    [Theory]
    [InlineData(0UL, "3f72e30fa0e153424488930bc035f91e537855a0d94f546b3edaf50af0232585", 2)]
    [InlineData(581UL, "00efd8bf9988a90a84bd429e15d854fddfa526aa9d542a871aac345470ee22fb", 8)]
    [InlineData(5072UL, "0005bd3dcbea664865ec9f0bcdb0e6ce4102981a901bd91aa2f22e915f486d3d", 13)]
    [InlineData(136152UL, "0000ccebeb968d509afd29208305b6adb259612b850275aa43a5c6ea75abb384", 16)]
    public void LeadingZeroBits_WorkedExample_MatchesTheDocumentedDigest(ulong nonce, string digestHex, int zeros)
    {
        byte[] input = new byte[DifficultyChallenge.InputSize];
        DifficultyChallenge.WriteInput(PublicKey, BlockHash, nonce, input);

        Assert.Equal(digestHex, Convert.ToHexStringLower(SHA256.HashData(input)));
        Assert.Equal(zeros, DifficultyChallenge.LeadingZeroBits(PublicKey, BlockHash, nonce));
        Assert.True(DifficultyChallenge.Meets(PublicKey, BlockHash, nonce, zeros));
        Assert.False(DifficultyChallenge.Meets(PublicKey, BlockHash, nonce, zeros + 1));
    }

    [Fact]
    public void Meets_WorkedExample_581IsTheFirstNonceOfDifficulty8()
    {
        Assert.Equal(581UL, Enumerable.Range(0, 1000).Select(n => (ulong)n).First(n => DifficultyChallenge.Meets(PublicKey, BlockHash, n, 8)));
        Assert.True(DifficultyChallenge.Meets(PublicKey, BlockHash, 0, 0));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 0, 0 }, 0)]
    [InlineData(new byte[] { 0x01, 0xff, 0, 0, 0, 0, 0, 0, 0 }, 7)]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0x40 }, 65)]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 72)]
    [InlineData(new byte[] { 0, 0x10 }, 11)]
    public void LeadingZeroBits_CountsFromTheMostSignificantBitOfByteZero(byte[] digest, int expected) =>
        Assert.Equal(expected, DifficultyChallenge.LeadingZeroBits(digest));

    [Fact]
    public void Meets_BlockHashSpelling_DoesNotMatter()
    {
        Assert.True(Bytes32.TryParseHex("0x0f5ac4f2c1f7ae2d3f3e1e73b7c0e5d3e0c1a6b2f4b9d8e7a6c5b4a3928170fe", out Bytes32 lower));
        Assert.Equal(DifficultyChallenge.LeadingZeroBits(PublicKey, BlockHash, 581), DifficultyChallenge.LeadingZeroBits(PublicKey, lower, 581));
    }
}
