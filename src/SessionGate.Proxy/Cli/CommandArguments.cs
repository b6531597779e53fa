using SessionGate.Protocol;

namespace SessionGate.Proxy.Cli;

/// <summary>
/// The <c>--name value</c> options and <c>--flag</c> switches after a command's name, plus (for
/// commands that allow them) positional arguments and options that may be repeated. Every option
/// must be consumed by the command; anything left over is reported as an unknown option.
/// </summary>
internal sealed class CommandArguments
{
    private readonly string _command;
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public CommandArguments(string command, IReadOnlyList<string> args, IReadOnlySet<string> flagNames)
        : this(command, args, flagNames, new HashSet<string>(), maxPositional: 0)
    {
    }

    /// <param name="command">The command's name, for messages.</param>
    /// <param name="args">The arguments after the command's name.</param>
    /// <param name="flagNames">Options that take no value.</param>
    /// <param name="repeatableNames">Options that may be given several times (read with <see cref="All"/>).</param>
    /// <param name="maxPositional">How many arguments without <c>--</c> are allowed.</param>
    public CommandArguments(string command, IReadOnlyList<string> args, IReadOnlySet<string> flagNames, IReadOnlySet<string> repeatableNames, int maxPositional)
    {
        _command = command;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                if (_positional.Count < maxPositional && !arg.StartsWith('-'))
                {
                    _positional.Add(arg);
                    continue;
                }

                throw new UsageException($"{command}: unexpected argument '{arg}'");
            }

            string name = arg[2..];
            string? inlineValue = null;
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inlineValue = name[(equals + 1)..];
                name = name[..equals];
            }

            if (flagNames.Contains(name))
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"{command}: --{name} takes no value");
                }

                _flags.Add(name);
                continue;
            }

            string value = inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{command}: --{name} needs a value"));
            if (repeatableNames.Contains(name))
            {
                (_repeated.TryGetValue(name, out List<string>? values) ? values : _repeated[name] = []).Add(value);
                continue;
            }

            if (!_options.TryAdd(name, value))
            {
                throw new UsageException($"{command}: --{name} given twice");
            }
        }
    }

    public bool HasFlag(string name)
    {
        _consumed.Add(name);
        return _flags.Contains(name);
    }

    public string? Optional(string name)
    {
        _consumed.Add(name);
        return _options.GetValueOrDefault(name);
    }

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> All(string name)
    {
        _consumed.Add(name);
        return _repeated.TryGetValue(name, out List<string>? values) ? values : [];
    }

    /// <summary>The positional arguments, in order.</summary>
    public IReadOnlyList<string> Positional => _positional;

    public string Required(string name) =>
        Optional(name) ?? throw new UsageException($"{_command}: missing --{name}");

    /// <summary>Hex of exactly <paramref name="length"/> bytes (optional 0x).</summary>
    public byte[]? OptionalHex(string name, int length)
    {
        string? text = Optional(name);
        if (text is null)
        {
            return null;
        }

        byte[] bytes = new byte[length];
        return HexCodec.TryDecode(text, bytes)
            ? bytes
            : throw new UsageException($"{_command}: --{name} must be {length} bytes of hex ({length * 2} hex digits, 0x optional)");
    }

    public byte[] RequiredHex(string name, int length) =>
        OptionalHex(name, length) ?? throw new UsageException($"{_command}: missing --{name}");

    /// <summary>Hex of any even length (optional 0x); empty is allowed.</summary>
    public byte[] RequiredHexAnyLength(string name) =>
        HexCodec.TryDecode(Required(name), out byte[] bytes)
            ? bytes
            : throw new UsageException($"{_command}: --{name} must be hex (an even number of hex digits, 0x optional)");

    /// <summary>Fails on any option the command did not ask for.</summary>
    public void EnsureAllConsumed()
    {
        foreach (string name in _options.Keys.Concat(_flags).Concat(_repeated.Keys))
        {
            if (!_consumed.Contains(name))
            {
                throw new UsageException($"{_command}: unknown option --{name}");
            }
        }
    }
}
