// Recodings of 256-bit scalars (little-endian bytes, top bit clear) for scalar multiplication:
// signed radix 16 (constant time, for secret scalars) and width-w NAF (variable time, public only).
using System.Buffers.Binary;

namespace SessionGate.Crypto;

internal static class ScalarRecoding
{
    /// <summary>64 digits d_i in [-8, 8] with scalar = Σ d_i·16^i. Constant time. Requires scalar &lt; 2^255.</summary>
    public static void ToRadix16(ReadOnlySpan<byte> scalar, Span<sbyte> digits)
    {
        for (int i = 0; i < 32; i++)
        {
            digits[2 * i] = (sbyte)(scalar[i] & 15);
            digits[(2 * i) + 1] = (sbyte)((scalar[i] >> 4) & 15);
        }

        // Shift each digit from [0, 16) to [-8, 8) and carry the excess upwards.
        for (int i = 0; i < 63; i++)
        {
            int carry = (digits[i] + 8) >> 4;
            digits[i] = (sbyte)(digits[i] - (carry << 4));
            digits[i + 1] = (sbyte)(digits[i + 1] + carry);
        }
    }

    /// <summary>
    /// Width-<paramref name="width"/> non-adjacent form: 256 digits, each zero or odd with |d| &lt; 2^(w-1),
    /// and at most one non-zero digit in any w consecutive positions. Variable time: public scalars only.
    /// </summary>
    public static void ToNonAdjacentForm(ReadOnlySpan<byte> scalar, int width, Span<sbyte> naf)
    {
        Span<ulong> words = stackalloc ulong[5];
        for (int i = 0; i < 4; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(scalar[(i * 8)..]);
        }

        words[4] = 0;
        naf[..256].Clear();

        ulong windowSize = 1UL << width;
        ulong windowMask = windowSize - 1;
        int position = 0;
        ulong carry = 0;
        while (position < 256)
        {
            int wordIndex = position / 64;
            int bitIndex = position % 64;
            ulong bits = bitIndex < 64 - width
                ? words[wordIndex] >> bitIndex
                : (words[wordIndex] >> bitIndex) | (words[wordIndex + 1] << (64 - bitIndex));

            ulong window = carry + (bits & windowMask);
            if ((window & 1) == 0)
            {
                position++;
                continue;
            }

            if (window < windowSize / 2)
            {
                carry = 0;
                naf[position] = (sbyte)window;
            }
            else
            {
                carry = 1;
                naf[position] = (sbyte)((long)window - (long)windowSize);
            }

            position += width;
        }
    }
}
