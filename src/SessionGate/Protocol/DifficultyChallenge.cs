// The difficulty challenge of KIP_18's reserved nonce (docs/protocol.md, "Difficulty challenge"):
//   work(header) = SHA-256(pubkey[32] ‖ block_hash[32] ‖ nonce as 8 bytes big-endian)   (72 bytes in)
// and a header meets difficulty d when work(header) starts with at least d zero bits (most
// significant bit of byte 0 first). block_hash is its 32 decoded bytes, so its spelling (case, 0x)
// does not matter. The gateway checks one hash; a client expects to try 2^d nonces.
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace SessionGate.Protocol;

/// <summary>The proof-of-work a header's nonce can carry: hash input, leading-zero count, and the check.</summary>
public static class DifficultyChallenge
{
    /// <summary>Bytes hashed: public key (32), block hash (32), nonce (8, big-endian).</summary>
    public const int InputSize = Bytes32.Size + Bytes32.Size + sizeof(ulong);

    /// <summary>The most leading zero bits a difficulty may ask for (the hash has 256).</summary>
    public const int MaxDifficulty = 64;

    /// <summary>Writes the 72 hashed bytes into <paramref name="destination"/> (at least <see cref="InputSize"/> long).</summary>
    public static void WriteInput(Bytes32 publicKey, Bytes32 blockHash, ulong nonce, Span<byte> destination)
    {
        publicKey.CopyTo(destination);
        blockHash.CopyTo(destination[Bytes32.Size..]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[(2 * Bytes32.Size)..], nonce);
    }

    /// <summary>Leading zero bits of <c>SHA-256(pubkey ‖ block_hash ‖ nonce)</c>, 0 to 256.</summary>
    public static int LeadingZeroBits(Bytes32 publicKey, Bytes32 blockHash, ulong nonce)
    {
        Span<byte> input = stackalloc byte[InputSize];
        WriteInput(publicKey, blockHash, nonce, input);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, digest);
        return LeadingZeroBits(digest);
    }

    /// <summary>Leading zero bits of <paramref name="digest"/>, most significant bit of byte 0 first.</summary>
    public static int LeadingZeroBits(ReadOnlySpan<byte> digest)
    {
        int bits = 0;
        for (int i = 0; i + sizeof(ulong) <= digest.Length; i += sizeof(ulong))
        {
            ulong word = BinaryPrimitives.ReadUInt64BigEndian(digest[i..]);
            if (word != 0)
            {
                return bits + BitOperations.LeadingZeroCount(word);
            }

            bits += 64;
        }

        for (int i = digest.Length - (digest.Length % sizeof(ulong)); i < digest.Length; i++)
        {
            if (digest[i] != 0)
            {
                return bits + BitOperations.LeadingZeroCount((uint)digest[i]) - 24;
            }

            bits += 8;
        }

        return bits;
    }

    /// <summary>True when the nonce meets difficulty <paramref name="difficulty"/> (always true for 0 or less).</summary>
    public static bool Meets(Bytes32 publicKey, Bytes32 blockHash, ulong nonce, int difficulty) =>
        difficulty <= 0 || LeadingZeroBits(publicKey, blockHash, nonce) >= difficulty;

    /// <summary>True when the header's nonce meets difficulty <paramref name="difficulty"/>.</summary>
    public static bool Meets(KiraSessionHeader header, int difficulty)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Meets(header.PublicKey, header.BlockHash, header.Nonce, difficulty);
    }
}
