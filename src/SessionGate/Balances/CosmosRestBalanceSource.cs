using Microsoft.Extensions.Logging;
using SessionGate.Chain;

namespace SessionGate.Balances;

/// <summary>
/// Reads balances from a Cosmos SDK node's REST (LCD) endpoint:
/// <c>GET {RestUrl}/cosmos/bank/v1beta1/balances/{address}</c>, or from INTERX with a
/// <see cref="ChainOptions.RestUrl"/> template such as <c>https://interx.example/api/kira/balances/{address}</c>
/// (same JSON). The balance is the configured <see cref="ChainOptions.Denom"/>'s amount divided by
/// 10^<see cref="ChainOptions.Decimals"/>. No caching here: wrap it in <see cref="CachingBalanceSource"/>.
/// <para>Answers, and why:</para>
/// <list type="bullet">
/// <item>200: the denomination's amount; absent from every page = 0 (an address the chain has never
/// seen is answered 200 with no balances). A multi-page answer is followed through
/// <c>pagination.next_key</c> (<c>?pagination.key=</c>) for at most <see cref="MaxPages"/> pages,
/// stopping at the page that holds the denomination. The all-balances route is used rather than
/// <c>/by_denom</c> because INTERX and older Cosmos SDK versions have only this one; the page bound
/// caps the cost of accounts dusted with thousands of denominations (such an account is Unknown, so
/// it falls to the lowest tier after the staleness window rather than costing unbounded requests).</item>
/// <item>400: the node refuses the address as malformed, so it can hold nothing: 0. A string that
/// cannot be a bech32 address (over 90 characters, or not letters and digits) is answered 0 without
/// asking the node.</item>
/// <item>Anything else — 404 (the route is missing: a wrong RestUrl or a node without the REST
/// server, never an answer about an address), other statuses, transport errors, timeouts, bodies
/// over <see cref="MaxResponseBytes"/>, malformed JSON or amounts — is Unknown.</item>
/// </list>
/// Each request is bounded by <see cref="TendermintOptions.RequestTimeout"/>, measured on the
/// injected <see cref="TimeProvider"/>. After the node fails (no answer, or an error status), every
/// query is answered Unknown without a request for <see cref="NodeBackoff"/>, so a dead or hanging
/// node is not sent one request per account; an unusable answer about one account (malformed, too
/// many pages) does not start that pause, so one odd account cannot blind the others.
/// Only cancellation by the caller's token is thrown.
/// </summary>
internal sealed partial class CosmosRestBalanceSource : IBalanceSource
{
    /// <summary>Most pages read for one account.</summary>
    public const int MaxPages = 10;

    /// <summary>Largest page read (a page of 100 coins is about 10 KiB).</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    /// <summary>How long queries are answered Unknown without a request after the node failed.</summary>
    public static readonly TimeSpan NodeBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The Cosmos SDK bank route, relative to <see cref="ChainOptions.RestUrl"/>.</summary>
    public const string BankBalancesPath = "cosmos/bank/v1beta1/balances/" + AddressPlaceholder;

    private const string AddressPlaceholder = "{address}";

    // bech32 strings are at most 90 characters, letters and digits only.
    private const int MaxAddressLength = 90;

    private readonly HttpClient _httpClient;
    private readonly string _urlBeforeAddress;
    private readonly string _urlAfterAddress;
    private readonly string _denom;
    private readonly int _decimals;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private int _consecutiveFailures;
    private long _backoffUntil;

    /// <summary>
    /// Creates the source. Requests go to <see cref="ChainOptions.RestUrl"/> (a base URL or an
    /// <c>{address}</c> template), or to <paramref name="httpClient"/>'s <see cref="HttpClient.BaseAddress"/>
    /// when no RestUrl is set. Keep <see cref="HttpClient.Timeout"/> at least as long as the request timeout.
    /// </summary>
    /// <exception cref="ArgumentException">No URL is set, or it is not an http(s) URL.</exception>
    public CosmosRestBalanceSource(HttpClient httpClient, ChainOptions options, TimeProvider timeProvider, ILogger<CosmosRestBalanceSource> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Decimals, TokenAmount.MaxDecimals, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Decimals, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.Denom, nameof(options));
        string template = Template(options.RestUrl ?? httpClient.BaseAddress?.AbsoluteUri
            ?? throw new ArgumentException("Set ChainOptions.RestUrl (or HttpClient.BaseAddress) to the node's REST URL.", nameof(options)));
        int at = template.IndexOf(AddressPlaceholder, StringComparison.Ordinal);
        if (!Uri.TryCreate(template.Replace(AddressPlaceholder, "a", StringComparison.Ordinal), UriKind.Absolute, out Uri? sample)
            || (sample.Scheme != Uri.UriSchemeHttp && sample.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The balances URL '{template}' is not an absolute http(s) URL.", nameof(options));
        }

        _httpClient = httpClient;
        _urlBeforeAddress = template[..at];
        _urlAfterAddress = template[(at + AddressPlaceholder.Length)..];
        _denom = options.Denom;
        _decimals = options.Decimals;
        _requestTimeout = (options.Tendermint ?? new TendermintOptions()).RequestTimeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The request URL of the first page of <paramref name="account"/> (for diagnostics and tests).</summary>
    internal Uri RequestUri(string account, string? pageKey = null) =>
        new(_urlBeforeAddress + Uri.EscapeDataString(account) + _urlAfterAddress
            + (pageKey is null ? "" : "?pagination.key=" + Uri.EscapeDataString(pageKey)));

    /// <inheritdoc />
    public async ValueTask<BalanceResult> GetBalanceAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!CanBeAddress(account))
        {
            Log.AddressRefused(_logger, Diagnostics.LogValue.Escape(account.Length > MaxAddressLength ? account[..MaxAddressLength] + "…" : account));
            return new BalanceResult(true, 0m, _timeProvider.GetUtcNow());
        }

        if (IsBackingOff)
        {
            Log.QueryFailed(_logger, Diagnostics.LogValue.Escape(account), "the node failed less than a second ago");
            return BalanceResult.Unknown;
        }

        string? pageKey = null;
        for (int page = 0; page < MaxPages; page++)
        {
            PageAnswer answer = await FetchPageAsync(RequestUri(account, pageKey), cancellationToken).ConfigureAwait(false);
            switch (answer.Status)
            {
                case PageStatus.AddressRefused when page == 0:
                    Succeeded();
                    Log.AddressRefused(_logger, Diagnostics.LogValue.Escape(account));
                    return new BalanceResult(true, 0m, answer.ReadAt);
                case PageStatus.AddressRefused:
                    Failed(account, "HTTP 400 for a pagination key the node gave");
                    return BalanceResult.Unknown;
                case PageStatus.NodeFailed:
                    BackOff();
                    Failed(account, answer.Reason!);
                    return BalanceResult.Unknown;
                case PageStatus.Malformed:
                    Failed(account, answer.Reason!);
                    return BalanceResult.Unknown;
            }

            if (answer.Page.Kind == BalancePageKind.Found || answer.Page.NextKey is null)
            {
                Succeeded();
                return new BalanceResult(true, answer.Page.Tokens, answer.ReadAt);
            }

            pageKey = answer.Page.NextKey;
        }

        Succeeded();
        Log.PageLimitReached(_logger, Diagnostics.LogValue.Escape(account), MaxPages, _denom);
        return BalanceResult.Unknown;
    }

    private static string Template(string url) =>
        url.Contains(AddressPlaceholder, StringComparison.Ordinal) ? url : url.TrimEnd('/') + "/" + BankBalancesPath;

    private static bool CanBeAddress(string account) =>
        account.Length is > 0 and <= MaxAddressLength && !account.AsSpan().ContainsAnyExcept(AddressCharacters);

    private static readonly System.Buffers.SearchValues<char> AddressCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private bool IsBackingOff => _timeProvider.GetTimestamp() < Volatile.Read(ref _backoffUntil);

    private void BackOff() =>
        Volatile.Write(ref _backoffUntil, _timeProvider.GetTimestamp() + (long)(NodeBackoff.TotalSeconds * _timeProvider.TimestampFrequency));

    private void Succeeded()
    {
        int failures = Interlocked.Exchange(ref _consecutiveFailures, 0);
        if (failures > 0)
        {
            Log.QueriesRecovered(_logger, failures);
        }
    }

    // One warning when the endpoint starts failing, then Debug per failure until it recovers.
    private void Failed(string account, string reason)
    {
        if (Interlocked.Increment(ref _consecutiveFailures) == 1)
        {
            Log.QueriesFailing(_logger, reason);
        }

        Log.QueryFailed(_logger, Diagnostics.LogValue.Escape(account), reason);
    }
}
