using SessionGate.Proxy.Commands;

namespace SessionGate.Proxy.Tests.Commands;

/// <summary>Runs <see cref="GrantCommand"/> with a given standard input (for <c>--…-file -</c>).</summary>
internal sealed class GrantCommandProbe(TextReader stdin)
{
    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode;
        try
        {
            exitCode = await new GrantCommand(stdin, TimeProvider.System).RunAsync(args, output, error, CancellationToken.None);
        }
        catch (SessionGate.Proxy.Cli.UsageException e)
        {
            await error.WriteLineAsync(e.Message);
            exitCode = 2;
        }

        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
