// SHA-256 (FIPS 180-4) specialised for the challenge's 72-byte input, for the nonce search only.
// The input is two 64-byte blocks; the first (pubkey ‖ block_hash) is the same for every nonce, so
// its compression is done once (the "midstate") and each nonce costs one compression of the second
// block: the nonce's 8 bytes, the 0x80 padding byte, zeros, and the length (576 bits). Measured
// about 3× faster than SHA256.HashData per nonce (docs/RELIABILITY.md), whose per-call overhead
// dominates for small inputs. The gateway keeps checking with SHA256.HashData; the tests check that
// both agree.
using System.Buffers.Binary;
using System.Numerics;
using SessionGate.Protocol;

namespace SessionGate.Client;

public static partial class DifficultySolver
{
    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private static readonly uint[] InitialState = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    /// <summary>The search's whole digest of one nonce (for the tests that hold it to SHA256.HashData).</summary>
    internal static byte[] SearchDigest(Bytes32 publicKey, Bytes32 blockHash, ulong nonce)
    {
        Span<uint> midstate = stackalloc uint[8];
        Span<uint> w = stackalloc uint[64];
        Span<uint> digest = stackalloc uint[8];
        Midstate(publicKey, blockHash, midstate);
        DigestPrefix(midstate, nonce, w, digest);
        byte[] bytes = new byte[32];
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), digest[i]);
        }

        return bytes;
    }

    /// <summary>The state after the first block, pubkey ‖ block_hash.</summary>
    private static void Midstate(Bytes32 publicKey, Bytes32 blockHash, Span<uint> state)
    {
        Span<byte> block = stackalloc byte[2 * Bytes32.Size];
        publicKey.CopyTo(block);
        blockHash.CopyTo(block[Bytes32.Size..]);
        Span<uint> w = stackalloc uint[64];
        for (int i = 0; i < 16; i++)
        {
            w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * i)..]);
        }

        InitialState.CopyTo(state);
        Compress(state, w, state);
    }

    /// <summary>The first 64 bits of SHA-256(pubkey ‖ block_hash ‖ nonce), big-endian, from the midstate.</summary>
    private static ulong DigestPrefix(ReadOnlySpan<uint> midstate, ulong nonce, Span<uint> w, Span<uint> digest)
    {
        w[0] = (uint)(nonce >> 32);
        w[1] = (uint)nonce;
        w[2] = 0x80000000;
        w[3..15].Clear();
        w[15] = DifficultyChallenge.InputSize * 8;
        Compress(midstate, w, digest);
        return ((ulong)digest[0] << 32) | digest[1];
    }

    private static void Compress(ReadOnlySpan<uint> state, Span<uint> w, Span<uint> output)
    {
        for (int i = 16; i < 64; i++)
        {
            uint x = w[i - 15], y = w[i - 2];
            uint s0 = BitOperations.RotateRight(x, 7) ^ BitOperations.RotateRight(x, 18) ^ (x >> 3);
            uint s1 = BitOperations.RotateRight(y, 17) ^ BitOperations.RotateRight(y, 19) ^ (y >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }

        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        ReadOnlySpan<uint> k = RoundConstants;
        for (int i = 0; i < 64; i++)
        {
            uint t1 = h + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
            uint t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        output[0] = state[0] + a;
        output[1] = state[1] + b;
        output[2] = state[2] + c;
        output[3] = state[3] + d;
        output[4] = state[4] + e;
        output[5] = state[5] + f;
        output[6] = state[6] + g;
        output[7] = state[7] + h;
    }
}
