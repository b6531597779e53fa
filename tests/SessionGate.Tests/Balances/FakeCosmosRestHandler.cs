using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace SessionGate.Tests.Balances;

/// <summary>
/// A hand-written fake Cosmos REST node behind an <see cref="HttpMessageHandler"/>: answers
/// <c>/cosmos/bank/v1beta1/balances/{address}</c> with the JSON body set per account (or an empty
/// balance list), records every request, and lets a test replace the answer (<see cref="Respond"/>).
/// </summary>
internal sealed class FakeCosmosRestHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Uri> _requests = new();
    private readonly ConcurrentDictionary<string, string> _bodies = new(StringComparer.Ordinal);

    /// <summary>When set, answers every request instead of the stored bodies (return null to fall through).</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage?>>? Respond { get; set; }

    public IReadOnlyList<Uri> Requests => [.. _requests];

    public int RequestCount => _requests.Count;

    /// <summary>Answers <paramref name="account"/>'s balances with <paramref name="json"/> (a whole response body).</summary>
    public void SetBody(string account, string json) => _bodies[account] = json;

    /// <summary>Answers <paramref name="account"/>'s balances with these coins on one page.</summary>
    public void SetCoins(string account, params (string Denom, string Amount)[] coins) => SetBody(account, Page(coins));

    public static string Page((string Denom, string Amount)[] coins, string? nextKey = null) =>
        "{\"balances\":[" + string.Join(",", coins.Select(c => $"{{\"denom\":\"{c.Denom}\",\"amount\":\"{c.Amount}\"}}"))
        + "],\"pagination\":{\"next_key\":" + (nextKey is null ? "null" : "\"" + nextKey + "\"") + ",\"total\":\"" + coins.Length + "\"}}";

    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri!;
        _requests.Enqueue(uri);
        if (Respond is { } respond && await respond(request, cancellationToken) is { } custom)
        {
            return custom;
        }

        const string Prefix = "/cosmos/bank/v1beta1/balances/";
        string path = uri.AbsolutePath;
        int at = path.IndexOf(Prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return Json("{\"code\":5,\"message\":\"Not Found\",\"details\":[]}", HttpStatusCode.NotFound);
        }

        string account = Uri.UnescapeDataString(path[(at + Prefix.Length)..]);
        return Json(_bodies.TryGetValue(account, out string? body) ? body : Page([]));
    }
}
