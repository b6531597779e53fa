using System.Diagnostics.Metrics;
using SessionGate.Diagnostics;

namespace SessionGate.Verification;

/// <summary>
/// Verifier instruments on the <c>SessionGate</c> meter: how often a header is answered from the
/// verdict cache (no signature check) and how full the cache is. A low hit ratio under load means
/// clients send a fresh header on every request, each paying a signature check.
/// </summary>
internal sealed class VerificationMetrics : IDisposable
{
    /// <summary>Verdict-cache lookups, tagged by <see cref="CacheResultTag"/>.</summary>
    public const string VerdictCacheLookupsName = "sessiongate.auth.verdict_cache.lookups";

    /// <summary>Headers whose verdict is held in memory right now.</summary>
    public const string VerdictCacheEntriesName = "sessiongate.auth.verdict_cache.entries";

    /// <summary>First-seen headers whose signature was checked (each one or two sr25519 verifications).</summary>
    public const string SignatureChecksName = "sessiongate.auth.signature_checks";

    /// <summary><c>hit</c> (answered without a check of its own, also by waiting for a concurrent check of the same content) or <c>miss</c> (charged to the verification budget and, if admitted, checks the signature).</summary>
    public const string CacheResultTag = "sessiongate.cache.result";

    private static readonly KeyValuePair<string, object?> Hit = new(CacheResultTag, "hit");
    private static readonly KeyValuePair<string, object?> Miss = new(CacheResultTag, "miss");

    private readonly SessionGateMeterHandle _meter;
    private readonly Counter<long> _lookups;
    private readonly Counter<long> _signatureChecks;

    /// <param name="meterFactory">The host's meter factory, or null for an owned meter.</param>
    /// <param name="entries">Reads the cache's current size when a listener collects.</param>
    public VerificationMetrics(IMeterFactory? meterFactory, Func<int> entries)
    {
        _meter = new SessionGateMeterHandle(meterFactory);
        _lookups = _meter.Meter.CreateCounter<long>(VerdictCacheLookupsName, "{lookup}", "Verdict-cache lookups of session headers: hits skip parsing and the signature check.");
        _signatureChecks = _meter.Meter.CreateCounter<long>(SignatureChecksName, "{header}", "First-seen session headers whose signature was checked (after the verification budget admitted them).");
        _meter.Meter.CreateObservableGauge(VerdictCacheEntriesName, entries, "{header}", "Session-header verdicts held in memory.");
    }

    /// <summary>Counts one lookup.</summary>
    public void Lookup(bool hit) => _lookups.Add(1, hit ? Hit : Miss);

    /// <summary>Counts one header whose signature is checked.</summary>
    public void SignatureCheck() => _signatureChecks.Add(1);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
