using System.Globalization;
using SessionGate.Protocol;

namespace SessionGate.Chain;

/// <summary>
/// The text a block is stored as in Redis: <c>{height}:{utcTicks}:{HASH}</c> (decimal height first
/// so a Lua script can compare heights with one pattern match; time as UTC ticks keeps the 100 ns
/// precision .NET has; the hash in Tendermint's uppercase hex).
/// </summary>
internal static class BlockRecordFormat
{
    /// <summary>Formats a block for storage.</summary>
    public static string Format(BlockInfo block) =>
        string.Create(CultureInfo.InvariantCulture, $"{block.Height}:{block.Time.UtcTicks}:{block.Hash.ToUpperHex()}");

    /// <summary>Parses a stored block; false for anything malformed. Never throws.</summary>
    public static bool TryParse(string? text, out BlockInfo? block)
    {
        block = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text;
        int first = rest.IndexOf(':');
        if (first <= 0 || !long.TryParse(rest[..first], NumberStyles.None, CultureInfo.InvariantCulture, out long height) || height < 1)
        {
            return false;
        }

        rest = rest[(first + 1)..];
        int second = rest.IndexOf(':');
        if (second <= 0
            || !long.TryParse(rest[..second], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Bytes32.TryParseHex(rest[(second + 1)..], out Bytes32 hash))
        {
            return false;
        }

        block = new BlockInfo(height, hash, new DateTimeOffset(ticks, TimeSpan.Zero));
        return true;
    }
}
