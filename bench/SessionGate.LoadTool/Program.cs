// bench/load/run.sh's helper. Two commands:
//   config  --accounts N --upstream URL --redis HOST:PORT|none --out FILE
//           the gateway's appsettings.json: one proxy route (/api, session required) to URL, N session
//           keys registered to N accounts, Redis (or in-memory stores), and a tier generous enough that
//           limiting never refuses.
//   headers --gateway URL --accounts N --count M --out FILE
//           M kira_session header values, one per line, signed over the gateway's current block by the
//           N accounts in turn; every value is distinct (sr25519 signatures are randomized).
using SessionGate.LoadTool;

try
{
    return args switch
    {
        ["config", .. var rest] => await ConfigCommand.RunAsync(new ToolArguments(rest)).ConfigureAwait(false),
        ["headers", .. var rest] => await HeadersCommand.RunAsync(new ToolArguments(rest)).ConfigureAwait(false),
        _ => Usage(),
    };
}
catch (ToolException e)
{
    await Console.Error.WriteLineAsync("loadtool: " + e.Message).ConfigureAwait(false);
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: loadtool config --accounts N --upstream URL --redis HOST:PORT|none --out FILE");
    Console.Error.WriteLine("       loadtool headers --gateway URL --accounts N --count M --out FILE");
    return 2;
}
