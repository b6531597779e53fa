namespace SessionGate.Proxy.Cli;

/// <summary>Bad command-line usage; its message becomes the one line printed on stderr (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
