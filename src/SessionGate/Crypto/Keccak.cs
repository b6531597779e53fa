// Keccak-f[1600] permutation (FIPS 202, section 3.3), 24 rounds over a 200-byte state.
// STROBE-128 (and so Merlin and sr25519) is built on this permutation alone; no sponge padding here.
using System.Buffers.Binary;
using System.Numerics;

namespace SessionGate.Crypto;

internal static class Keccak
{
    /// <summary>Size of the Keccak-f[1600] state in bytes.</summary>
    public const int StateSize = 200;

    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808aUL, 0x8000000080008000UL,
        0x000000000000808bUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008aUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000aUL,
        0x000000008000808bUL, 0x800000000000008bUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800aUL, 0x800000008000000aUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    // Rotation offsets and lane order of the combined rho and pi steps, following the lane walk
    // (x, y) -> (y, 2x + 3y) starting from lane 1.
    private static readonly int[] RhoOffsets = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44];
    private static readonly int[] PiLanes = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1];

    /// <summary>Applies Keccak-f[1600] in place to a 200-byte state whose lanes are little-endian.</summary>
    public static void Permute(Span<byte> state)
    {
        if (state.Length != StateSize)
        {
            throw new ArgumentException("Keccak state must be 200 bytes.", nameof(state));
        }

        Span<ulong> lanes = stackalloc ulong[25];
        for (int i = 0; i < 25; i++)
        {
            lanes[i] = BinaryPrimitives.ReadUInt64LittleEndian(state.Slice(i * 8, 8));
        }

        Permute(lanes);

        for (int i = 0; i < 25; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(state.Slice(i * 8, 8), lanes[i]);
        }
    }

    /// <summary>Applies Keccak-f[1600] in place to 25 lanes.</summary>
    public static void Permute(Span<ulong> a)
    {
        Span<ulong> c = stackalloc ulong[5];
        for (int round = 0; round < 24; round++)
        {
            // theta
            for (int x = 0; x < 5; x++)
            {
                c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
            }

            for (int x = 0; x < 5; x++)
            {
                ulong d = c[(x + 4) % 5] ^ BitOperations.RotateLeft(c[(x + 1) % 5], 1);
                for (int y = 0; y < 25; y += 5)
                {
                    a[y + x] ^= d;
                }
            }

            // rho and pi
            ulong current = a[1];
            for (int i = 0; i < 24; i++)
            {
                int lane = PiLanes[i];
                ulong next = a[lane];
                a[lane] = BitOperations.RotateLeft(current, RhoOffsets[i]);
                current = next;
            }

            // chi
            for (int y = 0; y < 25; y += 5)
            {
                ulong a0 = a[y], a1 = a[y + 1], a2 = a[y + 2], a3 = a[y + 3], a4 = a[y + 4];
                a[y] = a0 ^ (~a1 & a2);
                a[y + 1] = a1 ^ (~a2 & a3);
                a[y + 2] = a2 ^ (~a3 & a4);
                a[y + 3] = a3 ^ (~a4 & a0);
                a[y + 4] = a4 ^ (~a0 & a1);
            }

            // iota
            a[0] ^= RoundConstants[round];
        }
    }
}
