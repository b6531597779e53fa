using System.Globalization;

namespace SessionGate.LoadTool;

/// <summary>A usage error: printed without a stack trace, exit code 2.</summary>
internal sealed class ToolException(string message) : Exception(message);

/// <summary><c>--name value</c> pairs; every option is required.</summary>
internal sealed class ToolArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public ToolArguments(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ToolException($"expected --name value pairs, got '{args[i]}'");
            }

            _values[args[i][2..]] = args[i + 1];
        }
    }

    public string Text(string name) =>
        _values.TryGetValue(name, out string? value) ? value : throw new ToolException($"--{name} is required");

    public int Count(string name, int max) =>
        int.TryParse(Text(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= 1 && value <= max
            ? value
            : throw new ToolException($"--{name} must be an integer from 1 to {max}");

    public Uri Url(string name) =>
        Uri.TryCreate(Text(name), UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ToolException($"--{name} must be an absolute http(s) URL");
}
