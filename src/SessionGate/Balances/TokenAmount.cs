namespace SessionGate.Balances;

/// <summary>
/// Converts a Cosmos coin amount (a decimal string of base units, e.g. <c>"100000000"</c> ukex, which
/// may be any unsigned 256-bit integer) into whole tokens (amount / 10^decimals) without overflow.
/// </summary>
/// <remarks>
/// <see cref="decimal"/> holds 28 significant digits, far more than any sensible tier threshold, but
/// a chain amount can have 78 digits. An amount whose whole-token part has more than 28 digits
/// (10^28 tokens or more) is clamped to <see cref="decimal.MaxValue"/>: "very large", which reaches
/// every tier. Fractional tokens are kept (to at most <see cref="MaxDecimals"/> places), though a
/// sum with 28 integer digits is rounded to decimal's precision.
/// </remarks>
internal static class TokenAmount
{
    /// <summary>Most decimal places supported: 10^18 base units still fit a <see cref="ulong"/>.</summary>
    public const int MaxDecimals = 18;

    private const int MaxIntegerDigits = 28;

    private static readonly decimal[] PowersOfTen = [.. Enumerable.Range(0, MaxDecimals + 1).Select(Pow10)];

    /// <summary>
    /// Parses <paramref name="amount"/> (ASCII digits only: no sign, point, exponent or spaces) and
    /// divides it by 10^<paramref name="decimals"/>. Returns false for anything else; never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> amount, int decimals, out decimal tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, MaxDecimals);
        tokens = 0;
        if (amount.IsEmpty || amount.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        ReadOnlySpan<char> digits = amount.TrimStart('0');
        int integerDigits = digits.Length - decimals;
        if (integerDigits > MaxIntegerDigits)
        {
            tokens = decimal.MaxValue;
            return true;
        }

        decimal whole = integerDigits > 0 ? ParseDigits(digits[..integerDigits]) : 0m;
        ReadOnlySpan<char> fraction = integerDigits > 0 ? digits[integerDigits..] : digits;
        tokens = fraction.IsEmpty ? whole : whole + (ParseDigits(fraction) / PowersOfTen[decimals]);
        return true;
    }

    // At most 28 digits, all ASCII digits: exact in a decimal, no allocation, no culture.
    private static decimal ParseDigits(ReadOnlySpan<char> digits)
    {
        decimal value = 0m;
        foreach (char c in digits)
        {
            value = (value * 10m) + (c - '0');
        }

        return value;
    }

    private static decimal Pow10(int exponent)
    {
        decimal value = 1m;
        for (int i = 0; i < exponent; i++)
        {
            value *= 10m;
        }

        return value;
    }
}
