using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Proxy.Cli;

/// <summary>
/// The shared way commands take a mini secret key: <c>--seed HEX</c>, or <c>--seed-file PATH</c>
/// (<c>-</c> reads standard input). A seed on the command line is readable by every local user in
/// <c>/proc/&lt;pid&gt;/cmdline</c> and lands in shell history; a file or a pipe keeps it out of both.
/// The file holds the seed as hex (0x optional); surrounding whitespace and a final newline are ignored.
/// </summary>
internal static class SeedOption
{
    /// <summary>Usage text of the two options, for commands' help lines.</summary>
    public const string Usage = "--seed HEX | --seed-file PATH|-";

    /// <summary>Longest seed file read (a seed is 66 characters with 0x; this leaves room for whitespace).</summary>
    private const int MaxFileChars = 1024;

    /// <summary>The seed, or null when neither option is given.</summary>
    /// <param name="input">Standard input, for <c>--seed-file -</c> (null: <see cref="Console.In"/>).</param>
    /// <exception cref="UsageException">Both options, an unreadable file, or not 32 bytes of hex.</exception>
    public static byte[]? ReadOptional(CommandArguments arguments, string command, TextReader? input = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string? path = arguments.Optional("seed-file");
        if (path is null)
        {
            return arguments.OptionalHex("seed", Sr25519.MiniSecretKeySize);
        }

        if (arguments.Optional("seed") is not null)
        {
            throw new UsageException($"{command}: give --seed or --seed-file, not both");
        }

        string text = ReadText(path, command, input);
        byte[] seed = new byte[Sr25519.MiniSecretKeySize];
        return HexCodec.TryDecode(text.Trim(), seed)
            ? seed
            : throw new UsageException($"{command}: --seed-file {(path == "-" ? "(standard input)" : path)} must hold {Sr25519.MiniSecretKeySize} bytes of hex ({Sr25519.MiniSecretKeySize * 2} hex digits, 0x optional)");
    }

    /// <summary>The seed; one of the two options is required.</summary>
    /// <exception cref="UsageException">Neither option, both, or a bad seed.</exception>
    public static byte[] ReadRequired(CommandArguments arguments, string command, TextReader? input = null) =>
        ReadOptional(arguments, command, input) ?? throw new UsageException($"{command}: missing --seed or --seed-file");

    private static string ReadText(string path, string command, TextReader? input)
    {
        try
        {
            if (path == "-")
            {
                return ReadBounded(input ?? Console.In);
            }

            using var reader = new StreamReader(path);
            return ReadBounded(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"{command}: cannot read --seed-file {path}: {e.Message}");
        }
    }

    private static string ReadBounded(TextReader reader)
    {
        char[] buffer = new char[MaxFileChars + 1];
        int length = 0;
        int read;
        while (length < buffer.Length && (read = reader.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        string text = length > MaxFileChars ? "" : new string(buffer, 0, length);
        Array.Clear(buffer);
        return text;
    }
}
