using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;
using SessionGate.Crypto;
using SessionGate.Proxy.Cli;
using SessionGate.Proxy.Demo;
using SessionGate.Proxy.Gateway.Hosting;

namespace SessionGate.Proxy.Commands;

/// <summary>
/// <c>sessiongate demo [--seed HEX] [--port N] [--admin-port N]</c>: the gateway (in-memory, dev chain,
/// wallet grants on), a demo upstream API, a demo account with a registered session key, and printed
/// commands to try it. The admin API, dashboard and demo page answer on their own port
/// (<c>--admin-port</c>, a free one by default), never on the gateway's. Runs until Ctrl+C / SIGTERM.
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    public string Name => "demo";

    public string Usage => "  sessiongate demo [--seed HEX] [--port N] [--admin-port N]   gateway (wallet grants on) + demo API + demo account; prints commands to try";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arguments = new CommandArguments(Name, args, new HashSet<string>());
        byte[] seed = arguments.OptionalHex("seed", Sr25519.MiniSecretKeySize) ?? RandomNumberGenerator.GetBytes(Sr25519.MiniSecretKeySize);
        int port = 0;
        if (arguments.Optional("port") is { } portText && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            throw new UsageException("demo: --port must be a TCP port number (0 picks a free one)");
        }

        int adminPort = AdminPort(arguments, port);
        arguments.EnsureAllConsumed();

        // The grant domain names the port, so it must be known before the host is built: with
        // --port 0 take a free one now (a race with another process is reported as "cannot listen").
        if (port == 0)
        {
            port = FreeLoopbackPort();
        }

        DemoAccount account = DemoAccount.Create(seed, new SessionGateOptions().AddressPrefix);
        CryptographicOperations.ZeroMemory(seed);

        // A fresh admin key per run: the demo listens on loopback only, but a fixed, published key
        // would still let any local process read and disable keys.
        string adminApiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(DemoSettings.AdminKeyBytes));

        await using DemoUpstream upstream = await DemoUpstream.StartAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<string, string?> settings = DemoSettings.For(account, upstream.Address, port, TimeProvider.System.GetUtcNow().AddDays(1), adminApiKey);
        var admin = new Uri($"http://127.0.0.1:{adminPort.ToString(CultureInfo.InvariantCulture)}");
        settings["SessionGate:Admin:Urls"] = admin.GetLeftPart(UriPartial.Authority);

        WebApplication gateway;
        try
        {
            gateway = GatewayHost.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                QuietLogging(builder.Logging);

                // YARP's session-affinity cookies use Data Protection; the demo keeps its keys in
                // memory so it writes nothing to disk.
                builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
            });
        }
        catch (GatewayConfigurationException e)
        {
            // Only a broken appsettings.json beside the executable can cause this.
            await GatewayErrors.WriteAsync(error, Name, e.Errors).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await using (gateway.ConfigureAwait(false))
        {
            try
            {
                await gateway.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new UsageException($"demo: cannot listen on port {port}: {e.Message.ReplaceLineEndings(" ")}");
            }

            var address = new Uri(gateway.Urls.First());
            string pathPrefix = gateway.Services.GetRequiredService<IOptions<SessionGateOptions>>().Value.PathPrefix;
            await output.WriteLineAsync(DemoInstructions.Text(account, address, upstream.Address, pathPrefix, SelfInvocation.Command(), adminApiKey, admin)).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);

            // Ctrl+C / SIGTERM stop the host (its console lifetime); so does cancellation.
            await gateway.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        await output.WriteLineAsync("SessionGate demo stopped.").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// <c>--admin-port N</c>, or a free loopback port: the admin listener needs a real port number
    /// (requests are told apart by the port they arrived on), so 0 is resolved here.
    /// </summary>
    private static int AdminPort(CommandArguments arguments, int publicPort)
    {
        int port = 0;
        if (arguments.Optional("admin-port") is { } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535 || (port != 0 && port == publicPort)))
        {
            throw new UsageException("demo: --admin-port must be a TCP port number other than --port (0 picks a free one)");
        }

        return port != 0 ? port : FreeLoopbackPort();
    }

    // The printed instructions are the demo's interface; keep the console for warnings and errors.
    private static void QuietLogging(ILoggingBuilder logging) =>
        logging.AddFilter(category: null, LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("Yarp", LogLevel.Warning)
            .AddFilter("SessionGate", LogLevel.Warning);
}
