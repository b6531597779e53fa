namespace SessionGate.Proxy.Demo;

/// <summary>What the demo prints once everything runs: where things are and commands to paste.</summary>
internal static class DemoInstructions
{
    /// <param name="dashboardServed">False while this build has no dashboard (it arrives with a later release).</param>
    public static string Text(DemoAccount account, Uri gateway, Uri upstream, string pathPrefix, string self, bool dashboardServed)
    {
        string origin = gateway.GetLeftPart(UriPartial.Authority);
        string api = origin + DemoSettings.ProtectedPath;
        string block = origin + pathPrefix + "/block";
        string dashboard = origin + pathPrefix + "/dashboard";
        string credentials = $"--seed {account.SeedHex} --account {account.Account}";
        return $"""
            SessionGate demo is running (in-memory stores, built-in dev chain; nothing is written to disk).

              gateway       {origin}
              demo API      {upstream.GetLeftPart(UriPartial.Authority)}  (behind the gateway: {origin}/api/… needs a session, {origin}/public/… does not)
              account       {account.Account}  (balance {DemoSettings.Balance} KEX)
              session key   {account.PublicKeyHex}  (registered to the account)
              dashboard     {dashboard}{(dashboardServed ? "" : "  (arrives with a later release; not served by this build yet)")}

            Make a signed request (fetches the latest block, signs the kira_session header, prints status, RateLimit headers and body):

              {self} request {credentials} {api}

            The same with curl: read the latest block hash, let `sessiongate header` sign a header over it
            (valid for about 5 minutes), send it:

              HASH=$(curl -s {block} | sed -E 's/.*"hash":"([0-9A-Fa-f]+)".*/\1/')
              curl -i -H "kira_session: $({self} header {credentials} --block-hash $HASH)" {api}

            Without a header: curl -i {origin}{DemoSettings.PublicPath}  (200, anonymous)  and  curl -i {api}  (401 session_required).
            Health: {origin}/healthz  {origin}/readyz

            Press Ctrl+C to stop.
            """;
    }
}
