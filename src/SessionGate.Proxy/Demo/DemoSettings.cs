using System.Globalization;
using SessionGate.AspNetCore.Authentication;

namespace SessionGate.Proxy.Demo;

/// <summary>
/// The configuration the demo gives the gateway, as ordinary configuration keys (what an operator
/// would write in appsettings.json): the demo key registered to the demo account, and two routes to
/// the demo upstream, <c>/api/…</c> (session required) and <c>/public/…</c> (anonymous callers pass),
/// the admin API (with it the dashboard) under a key made for this run, and wallet-signed grants
/// (<c>SessionGate:Grants:Domain</c> = the gateway's public host:port, what <c>sessiongate grant</c> and the
/// browser page, which is on the admin listener and is told the domain in its URL, put in the message).
/// </summary>
internal static class DemoSettings
{
    public const string ProtectedPath = "/api/hello";
    public const string PublicPath = "/public/hello";

    /// <summary>The demo account's balance in whole KEX: the "holder" tier of the default tier table.</summary>
    public const int Balance = 1000;

    /// <summary>Bytes of randomness in the demo's admin key (printed as 64 hex digits).</summary>
    public const int AdminKeyBytes = 32;

    /// <summary>The loopback address the demo listens on.</summary>
    public const string Host = "127.0.0.1";

    /// <summary>The grant domain for a demo on <paramref name="port"/>: the URI authority a browser shows as <c>location.host</c>.</summary>
    public static string GrantsDomain(int port) => $"{Host}:{port.ToString(CultureInfo.InvariantCulture)}";

    public static Dictionary<string, string?> For(DemoAccount account, Uri upstream, int port, DateTimeOffset keyExpires, string adminApiKey) => new()
    {
        ["Urls"] = $"http://{GrantsDomain(port)}",
        ["SessionGate:Grants:Domain"] = GrantsDomain(port),

        // In-memory stores and the dev chain, whatever appsettings.json or the environment say.
        ["SessionGate:Redis"] = null,
        ["SessionGate:Chain:Mode"] = "Dev",
        ["SessionGate:Keys:0:PublicKey"] = account.PublicKeyHex,
        ["SessionGate:Keys:0:Account"] = account.Account,
        ["SessionGate:Keys:0:Expires"] = keyExpires.ToString("O", CultureInfo.InvariantCulture),
        ["SessionGate:Admin:ApiKey"] = adminApiKey,

        // DESIGN §5's dev-chain balances: the balance source and tiers read them once the
        // rate-limiting work lands; until then they are ignored.
        ["SessionGate:Chain:Dev:Accounts:0:Account"] = account.Account,
        ["SessionGate:Chain:Dev:Accounts:0:Balance"] = Balance.ToString(CultureInfo.InvariantCulture),

        ["ReverseProxy:Routes:demo-api:ClusterId"] = "demo-upstream",
        ["ReverseProxy:Routes:demo-api:Match:Path"] = "/api/{**rest}",
        [$"ReverseProxy:Routes:demo-api:Metadata:{SessionGateRouteMetadata.RequireSessionKey}"] = "true",
        ["ReverseProxy:Routes:demo-public:ClusterId"] = "demo-upstream",
        ["ReverseProxy:Routes:demo-public:Match:Path"] = "/public/{**rest}",
        ["ReverseProxy:Clusters:demo-upstream:Destinations:demo:Address"] = upstream.ToString(),
    };
}
