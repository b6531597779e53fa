using System.Diagnostics.Metrics;
using SessionGate.Diagnostics;

namespace SessionGate.Verification.Difficulty;

/// <summary>
/// The challenge's instruments on the <c>SessionGate</c> meter: the difficulty asked of new headers,
/// the first-seen load it is decided from, and how many first-seen headers passed or failed it.
/// </summary>
internal sealed class DifficultyMetrics : IDisposable
{
    /// <summary>Leading zero bits a first-seen header's nonce must give right now (0: no challenge).</summary>
    public const string DifficultyName = "sessiongate.auth.difficulty";

    /// <summary>First-seen headers per second that went on to signature work, over the last measured interval.</summary>
    public const string LoadName = "sessiongate.auth.difficulty.first_seen_rate";

    /// <summary>Challenge checks of first-seen headers, tagged by <see cref="ResultTag"/>.</summary>
    public const string ChecksName = "sessiongate.auth.difficulty.checks";

    /// <summary><c>admitted</c> (the nonce meets the difficulty) or <c>refused</c> (401 difficulty_required, no signature work).</summary>
    public const string ResultTag = "sessiongate.difficulty.result";

    private static readonly KeyValuePair<string, object?> Admitted = new(ResultTag, "admitted");
    private static readonly KeyValuePair<string, object?> Refused = new(ResultTag, "refused");

    private readonly SessionGateMeterHandle _meter;
    private readonly Counter<long> _checks;

    public DifficultyMetrics(IMeterFactory? meterFactory, Func<int> difficulty, Func<double> load)
    {
        _meter = new SessionGateMeterHandle(meterFactory);
        _meter.Meter.CreateObservableGauge(DifficultyName, difficulty, "{bit}", "Leading zero bits the nonce of a first-seen session header must produce (0: no challenge).");
        _meter.Meter.CreateObservableGauge(LoadName, load, "{header}/s", "First-seen session headers per second that went on to signature work (the difficulty challenge's load signal).");
        _checks = _meter.Meter.CreateCounter<long>(ChecksName, "{header}", "Difficulty checks of first-seen session headers: refused ones cost one SHA-256 and no signature work.");
    }

    public void Checked(bool admitted) => _checks.Add(1, admitted ? Admitted : Refused);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
