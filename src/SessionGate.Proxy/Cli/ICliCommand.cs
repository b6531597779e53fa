namespace SessionGate.Proxy.Cli;

/// <summary>One <c>sessiongate</c> sub-command.</summary>
internal interface ICliCommand
{
    /// <summary>The word that selects the command, e.g. <c>sign</c>.</summary>
    string Name { get; }

    /// <summary>Usage lines shown by <c>sessiongate --help</c>.</summary>
    string Usage { get; }

    /// <summary>Runs the command; throws <see cref="UsageException"/> for bad usage.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken);
}
