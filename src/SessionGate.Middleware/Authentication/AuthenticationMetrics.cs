using System.Diagnostics.Metrics;
using SessionGate.Diagnostics;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// Counts what authentication decided for each request on the <c>SessionGate</c> meter:
/// <c>verified</c>, <c>anonymous</c> (no header, route allows it) or the refusal's problem code
/// (<c>signature_invalid</c>, <c>ip_blocked</c>, …): a closed set, so the tag's cardinality is bounded.
/// </summary>
internal sealed class AuthenticationMetrics : IDisposable
{
    /// <summary>Authentication results, tagged by <see cref="ResultTag"/>.</summary>
    public const string ResultsName = "sessiongate.auth.results";

    /// <summary><c>verified</c>, <c>anonymous</c> or a problem code.</summary>
    public const string ResultTag = "sessiongate.auth.result";

    private static readonly KeyValuePair<string, object?> Verified = new(ResultTag, "verified");
    private static readonly KeyValuePair<string, object?> Anonymous = new(ResultTag, "anonymous");

    // One boxed tag per error, made once: counting allocates nothing.
    private static readonly Dictionary<SessionError, KeyValuePair<string, object?>> Refusals =
        Enum.GetValues<SessionError>().Where(e => e != SessionError.None)
            .ToDictionary(e => e, e => new KeyValuePair<string, object?>(ResultTag, SessionErrors.Describe(e).Code));

    private readonly SessionGateMeterHandle _meter;
    private readonly Counter<long> _results;

    public AuthenticationMetrics(IMeterFactory? meterFactory)
    {
        _meter = new SessionGateMeterHandle(meterFactory);
        _results = _meter.Meter.CreateCounter<long>(ResultsName, "{request}", "Authentication results of requests: verified, anonymous, or the refusal's problem code.");
    }

    /// <summary>Counts a request whose session header verified.</summary>
    public void RecordVerified() => _results.Add(1, Verified);

    /// <summary>Counts a request that passed without a session header.</summary>
    public void RecordAnonymous() => _results.Add(1, Anonymous);

    /// <summary>Counts a refused request.</summary>
    public void RecordRefused(SessionError error)
    {
        if (Refusals.TryGetValue(error, out KeyValuePair<string, object?> tag))
        {
            _results.Add(1, tag);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
