namespace SessionGate.AspNetCore.Configuration;

/// <summary>
/// A deliberately simple, conservative estimate of how many random bits an admin key holds, so that a
/// word, a short or a patterned key is refused at start-up. It is the smaller of two figures:
/// <list type="bullet">
/// <item>length × log2(alphabet), the alphabet being what the character classes used suggest: 16 for
/// hex digits (one case), otherwise 26 per letter case, 10 for digits, 33 for other printable
/// characters — the strength the key would have if every character were drawn at random;</item>
/// <item>length × the key's own Shannon entropy per character (from its character frequencies) × 2 —
/// low for repetitive keys (<c>aaaa…</c>, <c>abcabc…</c>) whatever their length. The factor 2 is a
/// margin: a random 64-digit hex key shows only about 3.8 of its 4 bits per character this way.</item>
/// </list>
/// </summary>
internal static class AdminKeyStrength
{
    public static double EstimateBits(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            return 0;
        }

        return Math.Min(key.Length * Math.Log2(Alphabet(key)), 2 * key.Length * ShannonBitsPerCharacter(key));
    }

    private static int Alphabet(string key)
    {
        bool lower = false, upper = false, digit = false, other = false, hexOnly = true;
        foreach (char c in key)
        {
            lower |= c is >= 'a' and <= 'z';
            upper |= c is >= 'A' and <= 'Z';
            digit |= c is >= '0' and <= '9';
            other |= !char.IsAsciiLetterOrDigit(c);
            hexOnly &= char.IsAsciiHexDigit(c);
        }

        if (hexOnly && !(lower && upper))
        {
            return 16;
        }

        return (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
    }

    private static double ShannonBitsPerCharacter(string key)
    {
        var counts = new Dictionary<char, int>();
        foreach (char c in key)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        double bits = 0;
        foreach (int count in counts.Values)
        {
            double p = (double)count / key.Length;
            bits -= p * Math.Log2(p);
        }

        return bits;
    }
}
