using System.Globalization;
using SessionGate.IntegrationTests.Infrastructure;
using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.BrowserClient;

/// <summary>
/// The real gateway process (dev chain, in memory) on a fixed loopback port, in front of a fake
/// upstream: <c>/api/…</c> requires a session. The port is fixed so a restarted gateway keeps the
/// browser's origin, and with it the session key in the page's IndexedDB; that is how a key made in
/// the browser gets registered through configuration (<c>SessionGate:Keys</c>).
/// </summary>
internal sealed class DemoGateway : IAsyncDisposable
{
    private DemoGateway(ChildProcess process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public ChildProcess Process { get; }

    public Uri Address { get; }

    /// <param name="port">The loopback port to listen on.</param>
    /// <param name="upstream">The API behind the gateway.</param>
    /// <param name="keys">Session keys to register: public key (hex) and account.</param>
    /// <param name="adminApiKey">Switches the admin API on with this bearer credential.</param>
    /// <param name="grants">Switches wallet-signed grants on, with the domain a page on this port names (<c>127.0.0.1:port</c>).</param>
    public static async Task<DemoGateway> StartAsync(int port, Uri upstream, IReadOnlyList<(string PublicKey, string Account)> keys, string? adminApiKey = null, bool grants = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["SessionGate:Redis"] = null,
            ["SessionGate:Chain:Mode"] = "Dev",
            ["ReverseProxy:Routes:api:ClusterId"] = "up",
            ["ReverseProxy:Routes:api:Match:Path"] = "/api/{**rest}",
            ["ReverseProxy:Routes:api:Metadata:SessionGate.RequireSession"] = "true",
            ["ReverseProxy:Clusters:up:Destinations:d1:Address"] = upstream.ToString(),
            ["SessionGate:Admin:ApiKey"] = adminApiKey,
            ["SessionGate:Grants:Domain"] = grants ? GrantsDomain(port) : null,

            // These tests are about the browser client on one origin, not the admin listener
            // (AdminListenerTests): the explicit opt-in to the admin pages on the public port.
            ["SessionGate:Admin:ServeOnPublicPort"] = "true",
        };
        for (int i = 0; i < keys.Count; i++)
        {
            string index = i.ToString(CultureInfo.InvariantCulture);
            settings[$"SessionGate:Keys:{index}:PublicKey"] = keys[i].PublicKey;
            settings[$"SessionGate:Keys:{index}:Account"] = keys[i].Account;
            settings[$"SessionGate:Keys:{index}:Expires"] = "2099-01-01T00:00:00Z";
        }

        string url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        ChildProcess process = ChildProcess.StartSessionGate(["serve", "--urls", url], GatewayProcess.Environment(settings));
        try
        {
            await process.WaitForLineAsync(l => l.Contains("Now listening on: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the gateway listens");
            var address = new Uri(url);
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            await Eventually.HoldsAsync(
                async () =>
                {
                    using HttpResponseMessage response = await client.GetAsync(new Uri("/_sessiongate/block", UriKind.Relative));
                    return response.IsSuccessStatusCode;
                },
                TimeSpan.FromSeconds(30),
                "the gateway knows a block");
            return new DemoGateway(process, address);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>The grant domain of a gateway on <paramref name="port"/>: what a browser shows as <c>location.host</c>.</summary>
    public static string GrantsDomain(int port) => "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
