namespace SessionGate.Client;

/// <summary>
/// Settings of <see cref="KiraSessionHandler"/>. Only <see cref="Gateway"/> is required; the rest
/// match a gateway with default settings.
/// </summary>
public sealed record KiraSessionClientOptions
{
    /// <summary>Default <see cref="RefreshInterval"/>: one minute.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>Default <see cref="MaxHeaderAge"/>: four minutes, safely inside the gateway's default five-minute window.</summary>
    public static readonly TimeSpan DefaultMaxHeaderAge = TimeSpan.FromMinutes(4);

    /// <summary>
    /// The gateway (or the API using <c>app.UseSessionGate()</c>), e.g. <c>http://127.0.0.1:8080</c>.
    /// The latest block is read from <c>{Gateway}{PathPrefix}/block</c>, and the header is attached
    /// only to requests for this origin (scheme, host and port), so it never leaks to other hosts.
    /// </summary>
    public required Uri Gateway { get; init; }

    /// <summary>The gateway's <c>SessionGate:PathPrefix</c>. Default <c>/_sessiongate</c>.</summary>
    public string PathPrefix { get; init; } = "/_sessiongate";

    /// <summary>The gateway's <c>SessionGate:HeaderName</c>. Default <c>kira_session</c>.</summary>
    public string HeaderName { get; init; } = Protocol.KiraSessionHeader.HeaderName;

    /// <summary>The gateway's <c>SessionGate:SigningContext</c>. Default <c>substrate</c>.</summary>
    public string SigningContext { get; init; } = "substrate";

    /// <summary>
    /// How long one header (one block) is used before the latest block is fetched again. Default one
    /// minute; at most <see cref="MaxHeaderAge"/>.
    /// </summary>
    public TimeSpan RefreshInterval { get; init; } = DefaultRefreshInterval;

    /// <summary>
    /// The oldest a header may be and still be sent while a refresh fails (the gateway is briefly
    /// unreachable); after that requests fail with <see cref="KiraSessionException"/>. Default four
    /// minutes; must stay below the gateway's window (five minutes by default).
    /// </summary>
    public TimeSpan MaxHeaderAge { get; init; } = DefaultMaxHeaderAge;

    /// <summary>Default <see cref="MaxSolveTime"/>: ten seconds.</summary>
    public static readonly TimeSpan DefaultMaxSolveTime = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest search for a nonce when the gateway asks for proof of work (its <c>difficulty</c>);
    /// past it the request fails with <see cref="KiraSessionException"/>. Default ten seconds.
    /// </summary>
    public TimeSpan MaxSolveTime { get; init; } = DefaultMaxSolveTime;

    /// <summary>Receives the progress of nonce searches (every few milliseconds, and once when solved). Default none.</summary>
    public IProgress<DifficultyProgress>? SolveProgress { get; init; }

    /// <summary>
    /// Most redirects followed for one request (by the handler itself, so that only hops to
    /// <see cref="Gateway"/>'s origin carry the header). 0 returns the redirect answer as it is.
    /// Default 10.
    /// </summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>The clock measuring header age (tests inject a fake one). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming every bad setting.</summary>
    internal void Validate()
    {
        var errors = new List<string>();
        if (Gateway is null || !Gateway.IsAbsoluteUri || (Gateway.Scheme != Uri.UriSchemeHttp && Gateway.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{nameof(Gateway)} must be an absolute http(s) URI.");
        }

        if (string.IsNullOrEmpty(PathPrefix) || PathPrefix[0] != '/')
        {
            errors.Add($"{nameof(PathPrefix)} must start with '/'.");
        }

        if (string.IsNullOrEmpty(HeaderName) || string.IsNullOrEmpty(SigningContext))
        {
            errors.Add($"{nameof(HeaderName)} and {nameof(SigningContext)} must not be empty.");
        }

        if (MaxHeaderAge <= TimeSpan.Zero || MaxHeaderAge >= TimeSpan.FromMinutes(5))
        {
            errors.Add($"{nameof(MaxHeaderAge)} must be positive and below 5 minutes (the gateway's default window), not {MaxHeaderAge}.");
        }

        if (RefreshInterval <= TimeSpan.Zero || RefreshInterval > MaxHeaderAge)
        {
            errors.Add($"{nameof(RefreshInterval)} must be positive and at most {nameof(MaxHeaderAge)} ({MaxHeaderAge}), not {RefreshInterval}.");
        }

        if (MaxSolveTime <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(MaxSolveTime)} must be positive, not {MaxSolveTime}.");
        }

        if (MaxRedirects is < 0 or > 50)
        {
            errors.Add($"{nameof(MaxRedirects)} must be between 0 and 50, not {MaxRedirects}.");
        }

        if (TimeProvider is null)
        {
            errors.Add($"{nameof(TimeProvider)} must not be null.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid KiraSessionClientOptions: " + string.Join(" ", errors));
        }
    }
}
