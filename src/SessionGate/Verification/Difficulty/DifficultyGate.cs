// The challenge as the verifier applies it (docs/protocol.md, "Difficulty challenge"): on the
// verdict-cache miss path only, after parsing and before any signature work, one SHA-256 of
// pubkey ‖ block_hash ‖ nonce. Headers already in the verdict cache never reach it, so a header
// verified before d rose stays valid for its window.
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using SessionGate.Protocol;

namespace SessionGate.Verification.Difficulty;

/// <summary>Checks first-seen headers against the current difficulty and feeds the load tracker.</summary>
internal sealed class DifficultyGate : IDisposable
{
    private readonly DifficultyController _controller;
    private readonly DifficultyMetrics _metrics;

    public DifficultyGate(DifficultyOptions options, TimeProvider timeProvider, IMeterFactory? meterFactory = null, ILogger<DifficultyGate>? logger = null)
    {
        _controller = new DifficultyController(options, timeProvider, logger);
        _metrics = new DifficultyMetrics(meterFactory, () => _controller.Current, () => _controller.LastRate);
    }

    /// <summary>True when the challenge can ever apply (mode is not Off).</summary>
    public bool Enabled => _controller.Mode != DifficultyMode.Off;

    /// <summary>Leading zero bits a first-seen header must give now (what <c>/block</c> and the 401 announce).</summary>
    public int Current => _controller.Current;

    /// <summary>
    /// True when <paramref name="header"/> may go on to signature work (counted as first-seen load);
    /// false when its nonce does not meet the current difficulty, given in <paramref name="required"/>.
    /// </summary>
    public bool TryAdmit(KiraSessionHeader header, out int required)
    {
        required = _controller.Current;
        if (required > 0)
        {
            bool meets = DifficultyChallenge.Meets(header, required);
            _metrics.Checked(meets);
            if (!meets)
            {
                return false;
            }
        }

        _controller.RecordFirstSeen();
        return true;
    }

    /// <summary>The verdict of a refused header: 401 difficulty_required.</summary>
    public static SessionVerdict Refusal(int required) => SessionVerdict.Fail(
        SessionError.DifficultyRequired,
        $"This gateway asks new headers for proof of work: choose nonce so that SHA-256(pubkey ‖ block_hash ‖ nonce as 8 bytes big-endian) starts with {required} zero bits, then sign.");

    /// <inheritdoc />
    public void Dispose() => _metrics.Dispose();
}
