using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// The real gateway: <c>dotnet sessiongate.dll serve --urls http://127.0.0.1:0</c>, configured the way
/// operators do it, through <c>SessionGate__…</c> / <c>ReverseProxy__…</c> environment variables. The
/// port is read from Kestrel's "Now listening on" log line.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    /// <summary>The admin listener's setting (<c>SessionGate:Admin:Urls</c>).</summary>
    public const string AdminUrlsKey = "SessionGate:Admin:Urls";

    private GatewayProcess(ChildProcess process, Uri address, Uri? adminAddress)
    {
        Process = process;
        Address = address;
        AdminAddress = adminAddress;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ChildProcess Process { get; }

    public Uri Address { get; }

    /// <summary>
    /// The admin listener (admin API, dashboard, demo page), or null without one. A gateway started
    /// with <c>SessionGate:Admin:ApiKey</c> and neither <c>SessionGate:Admin:Urls</c> nor
    /// <c>SessionGate:Admin:ServeOnPublicPort</c> gets one on a free loopback port.
    /// </summary>
    public Uri? AdminAddress { get; }

    public HttpClient Client { get; }

    /// <param name="settings">Configuration keys (<c>SessionGate:Redis</c>, …) passed as environment variables.</param>
    /// <param name="bareProxy">Starts <c>serve --bare-proxy</c> (SessionGate off, so no block endpoint to wait for).</param>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, bool bareProxy = false)
    {
        string[] arguments = bareProxy ? ["serve", "--bare-proxy", "--urls", "http://127.0.0.1:0"] : ["serve", "--urls", "http://127.0.0.1:0"];
        Dictionary<string, string?> all = new(settings);
        if (all.GetValueOrDefault("SessionGate:Admin:ApiKey") is not null && !all.ContainsKey(AdminUrlsKey) && !all.ContainsKey("SessionGate:Admin:ServeOnPublicPort"))
        {
            all[AdminUrlsKey] = $"http://127.0.0.1:{RedisServer.FreeTcpPort()}";
        }

        Uri? adminAddress = all.GetValueOrDefault(AdminUrlsKey) is { } adminUrls ? new Uri(adminUrls.Split(';')[0]) : null;
        ChildProcess process = ChildProcess.StartSessionGate(arguments, Environment(all));
        try
        {
            const string marker = "Now listening on: ";
            string line = await process.WaitForLineAsync(l => l.Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the gateway listens");
            var gateway = new GatewayProcess(process, new Uri(line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim()), adminAddress);
            if (bareProxy)
            {
                return gateway;
            }

            // Clients sign over the chain's latest block: wait until the chain has one.
            await Eventually.HoldsAsync(
                async () =>
                {
                    using HttpResponseMessage response = await gateway.Client.GetAsync(new Uri("/_sessiongate/block", UriKind.Relative));
                    return response.IsSuccessStatusCode;
                },
                TimeSpan.FromSeconds(30),
                "the gateway knows a block");
            return gateway;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Configuration keys as environment variable names (':' becomes "__").</summary>
    public static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?> settings) =>
        settings.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
    }
}
