namespace SessionGate.Proxy.Demo;

/// <summary>What the demo prints once everything runs: where things are and commands to paste.</summary>
internal static class DemoInstructions
{
    /// <param name="adminApiKey">The admin key of this run (the dashboard asks for it).</param>
    /// <param name="admin">The admin listener (dashboard, demo page, admin API); null: the gateway's own.</param>
    public static string Text(DemoAccount account, Uri gateway, Uri upstream, string pathPrefix, string self, string adminApiKey, Uri? admin = null)
    {
        string origin = gateway.GetLeftPart(UriPartial.Authority);
        string api = origin + DemoSettings.ProtectedPath;
        string block = origin + pathPrefix + "/block";
        // The admin API, dashboard and demo page have their own listener (issue 17): their secrets must
        // not share an origin with proxied pages.
        string adminOrigin = (admin ?? gateway).GetLeftPart(UriPartial.Authority);
        string dashboard = adminOrigin + pathPrefix + "/dashboard";
        string usage = adminOrigin + pathPrefix + "/admin/usage";
        // The page is on the admin listener, but grants name the gateway (Grants:Domain = its public host:port).
        string demoPage = adminOrigin + pathPrefix + "/demo?account=" + account.Account + "&domain=" + Uri.EscapeDataString(gateway.Authority);
        string credentials = $"--seed {account.SeedHex} --account {account.Account}";
        return $"""
            SessionGate demo is running (in-memory stores, built-in dev chain; nothing is written to disk).

              gateway       {origin}
              demo API      {upstream.GetLeftPart(UriPartial.Authority)}  (behind the gateway: {origin}/api/… needs a session, {origin}/public/… does not)
              account       {account.Account}  (balance {DemoSettings.Balance} KEX)
              session key   {account.PublicKeyHex}  (registered to the account)
              dashboard     {dashboard}  (live quotas per account; disable keys)
              admin key     {adminApiKey}  (paste it into the dashboard; made for this run)
              browser demo  {demoPage}  (a session key made in your browser, granted by your wallet: Connect wallet)

            Make a signed request (fetches the latest block, signs the kira_session header, prints status, RateLimit headers and body):

              {self} request {credentials} {api}

            The same with curl: read the latest block hash, let `sessiongate header` sign a header over it
            (valid for about 5 minutes), send it:

              HASH=$(curl -s {block} | sed -E 's/.*"hash":"([0-9A-Fa-f]+)".*/\1/')
              curl -i -H "kira_session: $({self} header {credentials} --block-hash $HASH)" {api}

            Grant a session key with a wallet signature from a shell, as Keplr would (docs/grants.md):
            a dev wallet (secp256k1: private_key, address), a session key (seed, public_key), the grant:

              {self} wallet new
              {self} key new
              {self} grant --wallet-key PRIVATE_KEY --seed SEED --url {origin}
              {self} request --seed SEED --account ADDRESS {api}

            The admin API behind the dashboard (docs/admin-api.md) takes the same key:

              curl -s -H "Authorization: Bearer {adminApiKey}" {usage}

            Without a header: curl -i {origin}{DemoSettings.PublicPath}  (200, anonymous)  and  curl -i {api}  (401 session_required).
            Health: {origin}/healthz  {origin}/readyz   Metrics (Prometheus): {origin}/metrics

            Press Ctrl+C to stop.
            """;
    }
}
