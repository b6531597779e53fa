using System.Net.Http.Json;
using System.Text.Json;
using SessionGate.Chain;

namespace SessionGate.AspNetCore.Grants;

/// <summary>
/// The id of the chain the gateway follows, which every grant must name: <c>SessionGate:Chain:ChainId</c>
/// when pinned, the dev chain's id in dev mode, else the Tendermint node's <c>/status</c>
/// <c>result.node_info.network</c> (asked once, then remembered; a pinned id the node contradicts is an error).
/// </summary>
internal sealed class ChainIdentity : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly ChainOptions _options;
    private readonly HttpClient? _http;
    private string? _nodeNetwork;

    public ChainIdentity(ChainOptions options)
    {
        _options = options;
        if (options.Mode == ChainMode.Tendermint && options.RpcUrl is { } rpc)
        {
            _http = new HttpClient { BaseAddress = new Uri(rpc.EndsWith('/') ? rpc : rpc + "/"), Timeout = Timeout };
        }
    }

    /// <summary>The id known without asking the node, or null.</summary>
    public string? Known => _options.Mode == ChainMode.Dev ? _options.ChainId ?? _options.Dev.ChainId : _nodeNetwork is null ? null : _options.ChainId ?? _nodeNetwork;

    /// <summary>The chain id, or an error text when it cannot be established now.</summary>
    public async Task<(string? ChainId, string? Problem)> GetAsync(CancellationToken cancellationToken)
    {
        if (_options.Mode == ChainMode.Dev || _http is null)
        {
            return (_options.ChainId ?? _options.Dev.ChainId, null);
        }

        if (_nodeNetwork is null)
        {
            try
            {
                using JsonDocument status = await _http.GetFromJsonAsync<JsonDocument>("status", cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException("empty");
                string? network = status.RootElement.GetProperty("result").GetProperty("node_info").GetProperty("network").GetString();
                if (string.IsNullOrEmpty(network))
                {
                    return (null, "The node's /status reports no network.");
                }

                _nodeNetwork = network;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return (null, "The node's /status could not be read.");
            }
        }

        if (_options.ChainId is { } pinned && !string.Equals(pinned, _nodeNetwork, StringComparison.Ordinal))
        {
            return (null, $"SessionGate:Chain:ChainId is \"{pinned}\" but the node reports \"{_nodeNetwork}\".");
        }

        return (_nodeNetwork, null);
    }

    public void Dispose() => _http?.Dispose();
}
