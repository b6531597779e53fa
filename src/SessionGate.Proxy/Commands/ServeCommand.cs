using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using SessionGate.Proxy.Cli;
using SessionGate.Proxy.Gateway.Hosting;

namespace SessionGate.Proxy.Commands;

/// <summary>
/// <c>sessiongate serve [ASP.NET options]</c>: runs the standalone gateway until Ctrl+C / SIGTERM.
/// Every argument is standard ASP.NET configuration (<c>--urls http://0.0.0.0:8080</c>,
/// <c>--SessionGate:Redis=127.0.0.1:6379</c>, …). Invalid configuration: every problem on stderr, exit 2.
/// </summary>
internal sealed class ServeCommand : ICliCommand
{
    public string Name => "serve";

    public string Usage =>
        "  sessiongate serve [--urls URLS] [--Section:Key=value]...\n" +
        "                                            the gateway: YARP from the ReverseProxy section behind SessionGate\n" +
        "                                            (configuration: appsettings.json beside the executable, env SessionGate__…)\n" +
        "  sessiongate serve --bare-proxy [...]      the same YARP configuration with SessionGate OFF (no authentication,\n" +
        "                                            no rate limiting): a benchmark baseline, never for clients";

    /// <summary>The flag that switches SessionGate off (a benchmark baseline).</summary>
    public const string BareProxyFlag = "--bare-proxy";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Count == 1 && args[0] is "--help" or "-h")
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        WebApplication app;
        try
        {
            bool bareProxy = args.Contains(BareProxyFlag, StringComparer.Ordinal);
            app = GatewayHost.Build([.. args.Where(a => a != BareProxyFlag)], bareProxy: bareProxy);
        }
        catch (GatewayConfigurationException e)
        {
            await GatewayErrors.WriteAsync(error, Name, e.Errors).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (FormatException e)
        {
            // The command-line configuration provider refuses malformed arguments.
            throw new UsageException($"serve: {e.Message}");
        }

        // Runs until Ctrl+C, SIGTERM or cancellation, then stops gracefully and disposes the host.
        await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);

        return ExitCodes.Success;
    }
}

/// <summary>Prints configuration problems: one line each, prefixed so they read well in a service log.</summary>
internal static class GatewayErrors
{
    public static async Task WriteAsync(TextWriter error, string command, IReadOnlyList<string> errors)
    {
        await error.WriteLineAsync($"sessiongate {command}: invalid configuration ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):").ConfigureAwait(false);
        foreach (string problem in errors)
        {
            await error.WriteLineAsync("  " + problem.ReplaceLineEndings(" ")).ConfigureAwait(false);
        }
    }
}
