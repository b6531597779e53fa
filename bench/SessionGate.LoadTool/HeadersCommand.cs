using System.Net.Http.Json;
using System.Text;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.LoadTool;

/// <summary>
/// Signs header values over the gateway's current block (so they are known and fresh when the run
/// uses them), on every core: a million fresh headers take about 40 s of one core (27,000 signs/s).
/// </summary>
internal static class HeadersCommand
{
    private const int MaxHeaders = 20_000_000;

    public static async Task<int> RunAsync(ToolArguments arguments)
    {
        Uri gateway = arguments.Url("gateway");
        int accounts = arguments.Count("accounts", LoadAccounts.MaxAccounts);
        int count = arguments.Count("count", MaxHeaders);
        string output = arguments.Text("out");

        string blockHash = await CurrentBlockAsync(gateway).ConfigureAwait(false);
        string[] lines = new string[count];
        int slices = Environment.ProcessorCount * 4;
        Parallel.For(0, slices, slice =>
        {
            // Each slice signs lines slice, slice + slices, …; one key pair per account it meets.
            var keys = new Dictionary<int, Sr25519KeyPair>();
            try
            {
                for (int i = slice; i < count; i += slices)
                {
                    int account = i % accounts;
                    if (!keys.TryGetValue(account, out Sr25519KeyPair? key))
                    {
                        key = LoadAccounts.Key(account);
                        keys.Add(account, key);
                    }

                    lines[i] = KiraSessionHeader.Create(key, LoadAccounts.Account(account), blockHash);
                }
            }
            finally
            {
                foreach (Sr25519KeyPair key in keys.Values)
                {
                    key.Dispose();
                }
            }
        });

        await File.WriteAllLinesAsync(output, lines, new UTF8Encoding(false)).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"{count} headers by {Math.Min(accounts, count)} accounts over block {blockHash}").ConfigureAwait(false);
        return 0;
    }

    private static async Task<string> CurrentBlockAsync(Uri gateway)
    {
        using var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(10) };
        BlockAnswer? block;
        try
        {
            block = await client.GetFromJsonAsync<BlockAnswer>(new Uri("/_sessiongate/block", UriKind.Relative)).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ToolException($"GET {gateway}_sessiongate/block failed: {e.Message}");
        }

        return block?.Hash is { } hash && Bytes32.TryParseHex(hash, out _)
            ? hash
            : throw new ToolException($"GET {gateway}_sessiongate/block returned no block hash");
    }

    private sealed record BlockAnswer(long Height, string? Hash);
}
