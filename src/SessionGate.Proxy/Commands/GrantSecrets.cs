using SessionGate.Protocol;
using SessionGate.Proxy.Cli;

namespace SessionGate.Proxy.Commands;

/// <summary>
/// The secrets of <c>sessiongate grant</c> and <c>wallet new</c>: as hex on the command line
/// (<c>--NAME HEX</c>), or from a file (<c>--NAME-file PATH</c>, <c>-</c> for standard input) so they
/// stay out of <c>/proc/*/cmdline</c> and shell history. A file holds the hex alone; surrounding white
/// space (a trailing newline) is ignored. At most one secret may come from standard input.
/// </summary>
internal sealed class GrantSecrets
{
    // A hex secret of 32 bytes is 66 characters with 0x; anything much longer is not a key file.
    private const int MaxFileChars = 1024;

    private readonly string _command;
    private readonly TextReader _stdin;
    private bool _stdinUsed;

    public GrantSecrets(string command, TextReader stdin)
    {
        _command = command;
        _stdin = stdin;
    }

    /// <summary>
    /// <paramref name="length"/> bytes from <c>--name</c> or <c>--name-file</c>, or null when neither
    /// is given; both at once is a usage error.
    /// </summary>
    public byte[]? Read(CommandArguments arguments, string name, int length)
    {
        string? inline = arguments.Optional(name);
        string? file = arguments.Optional(name + "-file");
        if (inline is not null && file is not null)
        {
            throw new UsageException($"{_command}: give --{name} or --{name}-file, not both");
        }

        if (inline is null && file is null)
        {
            return null;
        }

        string text = inline ?? ReadFile(name, file!);
        byte[] bytes = new byte[length];
        if (!HexCodec.TryDecode(text.Trim(), bytes))
        {
            throw new UsageException($"{_command}: --{name}{(file is null ? "" : "-file")} must hold {length} bytes of hex ({length * 2} hex digits, 0x optional)");
        }

        return bytes;
    }

    private string ReadFile(string name, string path)
    {
        if (path == "-")
        {
            if (_stdinUsed)
            {
                throw new UsageException($"{_command}: only one secret can be read from standard input");
            }

            _stdinUsed = true;
            return Limit(name, _stdin.ReadToEnd());
        }

        try
        {
            using var reader = new StreamReader(path);
            char[] buffer = new char[MaxFileChars + 1];
            int read = reader.ReadBlock(buffer, 0, buffer.Length);
            string text = new(buffer, 0, read);
            Array.Clear(buffer);
            return Limit(name, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"{_command}: cannot read --{name}-file {path}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private string Limit(string name, string text) =>
        text.Length > MaxFileChars ? throw new UsageException($"{_command}: --{name}-file is too long to be a hex key") : text;
}
