using System.Collections.Concurrent;
using System.Net;

namespace SessionGate.Testing.Nodes;

/// <summary>
/// A fake Cosmos SDK REST (LCD) node: answers <c>/cosmos/bank/v1beta1/balances/{address}</c>, and
/// INTERX's <c>/api/kira/balances/{address}</c> with the same JSON, from the body set per account (or
/// an empty balance list), in-process or on 127.0.0.1 (<see cref="StartAsync"/>).
/// </summary>
public sealed class FakeCosmosRestNode : FakeNode
{
    private static readonly string[] BalancePaths = ["/cosmos/bank/v1beta1/balances/", "/api/kira/balances/"];

    private readonly ConcurrentDictionary<string, string> _bodies = new(StringComparer.Ordinal);

    /// <summary>Starts a node on 127.0.0.1 (a free port) where every account holds nothing.</summary>
    public static async Task<FakeCosmosRestNode> StartAsync()
    {
        var node = new FakeCosmosRestNode();
        await node.ServeAsync();
        return node;
    }

    /// <summary>Answers <paramref name="account"/>'s balances with <paramref name="json"/> (a whole response body).</summary>
    public void SetBody(string account, string json) => _bodies[account] = json;

    /// <summary>Answers <paramref name="account"/>'s balances with these coins on one page.</summary>
    public void SetCoins(string account, params (string Denom, string Amount)[] coins) => SetBody(account, Page(coins));

    /// <summary>Sets <paramref name="account"/>'s ukex amount (base units: 1 KEX = 1,000,000), beside a little uatom.</summary>
    public void SetUkex(string account, string amount) => SetCoins(account, ("uatom", "5"), ("ukex", amount));

    /// <summary>Sets <paramref name="account"/>'s balance in whole KEX.</summary>
    public void SetKex(string account, long kex) => SetUkex(account, kex + "000000");

    public static string Page((string Denom, string Amount)[] coins, string? nextKey = null)
    {
        ArgumentNullException.ThrowIfNull(coins);
        return "{\"balances\":[" + string.Join(",", coins.Select(c => $"{{\"denom\":\"{c.Denom}\",\"amount\":\"{c.Amount}\"}}"))
            + "],\"pagination\":{\"next_key\":" + (nextKey is null ? "null" : "\"" + nextKey + "\"") + ",\"total\":\"" + coins.Length + "\"}}";
    }

    protected override Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string path = request.RequestUri!.AbsolutePath;
        foreach (string prefix in BalancePaths)
        {
            int at = path.IndexOf(prefix, StringComparison.Ordinal);
            if (at >= 0)
            {
                string account = Uri.UnescapeDataString(path[(at + prefix.Length)..]);
                return Task.FromResult(Json(_bodies.TryGetValue(account, out string? body) ? body : Page([])));
            }
        }

        return Task.FromResult(Json("{\"code\":5,\"message\":\"Not Found\",\"details\":[]}", HttpStatusCode.NotFound));
    }
}
