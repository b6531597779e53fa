using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SessionGate.IntegrationTests.Balances;

/// <summary>
/// A fake Cosmos SDK REST (LCD) node: a real Kestrel app on 127.0.0.1 (free port) answering
/// <c>/cosmos/bank/v1beta1/balances/{address}</c> — and INTERX's <c>/api/kira/balances/{address}</c>,
/// same JSON — from balances the test sets (in base units, e.g. ukex), with a request counter.
/// </summary>
internal sealed class FakeCosmosRestNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _amounts = new(StringComparer.Ordinal);
    private int _requests;
    private bool _stopped;

    private FakeCosmosRestNode(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FakeCosmosRestNode> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var node = new FakeCosmosRestNode(app);
        app.MapGet("/cosmos/bank/v1beta1/balances/{address}", node.Balances);
        app.MapGet("/api/kira/balances/{address}", node.Balances);
        await app.StartAsync();
        node.BaseUri = new Uri(app.Urls.Single());
        await node.WarmUpAsync();
        return node;
    }

    /// <summary>Sets <paramref name="account"/>'s ukex amount (base units: 1 KEX = 1,000,000).</summary>
    public void SetUkex(string account, string amount) => _amounts[account] = amount;

    /// <summary>Sets <paramref name="account"/>'s balance in whole KEX.</summary>
    public void SetKex(string account, long kex) => SetUkex(account, kex + "000000");

    /// <summary>Stops listening: later requests fail with "connection refused".</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    // The first request to a minimal-API route compiles its delegate; pay that before the test's clock starts.
    private async Task WarmUpAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseUri };
        using HttpResponseMessage response = await client.GetAsync(new Uri("cosmos/bank/v1beta1/balances/kira1warmup", UriKind.Relative));
        Interlocked.Exchange(ref _requests, 0);
    }

    private IResult Balances(string address)
    {
        Interlocked.Increment(ref _requests);
        string coins = _amounts.TryGetValue(address, out string? amount)
            ? "{\"denom\":\"uatom\",\"amount\":\"5\"},{\"denom\":\"ukex\",\"amount\":\"" + amount + "\"}"
            : "";
        return Results.Content(
            "{\"balances\":[" + coins + "],\"pagination\":{\"next_key\":null,\"total\":\"0\"}}", "application/json", Encoding.UTF8);
    }
}
