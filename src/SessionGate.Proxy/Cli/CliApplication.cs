using SessionGate.Proxy.Commands;

namespace SessionGate.Proxy.Cli;

/// <summary>Dispatches <c>sessiongate &lt;command&gt; …</c> and maps failures to the shared exit codes.</summary>
internal static class CliApplication
{
    private static readonly ICliCommand[] Commands =
    [
        new KeyCommand(),
        new SignCommand(),
        new VerifyCommand(),
        new HeaderCommand(),
        new RequestCommand(),
        new ServeCommand(),
        new DemoCommand(),
        new WalletCommand(),
        new GrantCommand(),
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            WriteHelp(args.Length == 0 ? error : output);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }

        if (args[0] == "--version")
        {
            await output.WriteLineAsync(ProductVersion.Current).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        ICliCommand? command = Array.Find(Commands, c => c.Name == args[0]);
        if (command is null)
        {
            await error.WriteLineAsync($"sessiongate: unknown command '{args[0]}' (try --help)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await command.RunAsync(args[1..], output, error, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"sessiongate {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }

    private static void WriteHelp(TextWriter writer)
    {
        writer.WriteLine($"sessiongate {ProductVersion.Current}: session-key authentication and balance-weighted rate limiting");
        writer.WriteLine();
        writer.WriteLine("Usage:");
        foreach (ICliCommand command in Commands)
        {
            writer.WriteLine(command.Usage);
        }

        writer.WriteLine();
        writer.WriteLine("Hex arguments may carry a 0x prefix. Exit codes: 0 success, 1 verification failed or non-2xx answer, 2 bad usage or gateway unreachable.");
    }
}
