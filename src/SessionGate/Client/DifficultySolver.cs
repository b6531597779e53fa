// The client side of the difficulty challenge (docs/protocol.md, "Difficulty challenge"): find a
// nonce such that SHA-256(pubkey ‖ block_hash ‖ nonce as 8 bytes big-endian) starts with d zero
// bits. Expected work is 2^d hashes (a geometric distribution: sometimes several times that), so
// the search is bounded by a deadline and reports progress. The gateway checks the result with one
// hash (Protocol/DifficultyChallenge, the same function; the search's own SHA-256 is in
// DifficultySolver.Sha256.cs).
using System.Numerics;
using SessionGate.Protocol;

namespace SessionGate.Client;

/// <summary>Progress of one nonce search.</summary>
/// <param name="Difficulty">Leading zero bits asked for.</param>
/// <param name="Hashes">Nonces tried so far.</param>
/// <param name="Elapsed">Time spent so far.</param>
/// <param name="Solved">True in the last report of a search that found a nonce.</param>
public readonly record struct DifficultyProgress(int Difficulty, long Hashes, TimeSpan Elapsed, bool Solved)
{
    /// <summary>Nonces a search is expected to try: 2^<see cref="Difficulty"/>.</summary>
    public double ExpectedHashes => Math.Pow(2, Difficulty);
}

/// <summary>Solves the difficulty challenge for a header's public key and block.</summary>
public static partial class DifficultySolver
{
    // Hashes between deadline checks and progress reports: a few milliseconds of work.
    private const int ReportEvery = 1 << 14;

    /// <summary>
    /// Searches nonces 0, 1, 2, … for one meeting <paramref name="difficulty"/>. Returns false when
    /// <paramref name="maxTime"/> passes first. Difficulty 0 or less is met by nonce 0 at once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The difficulty is above <see cref="DifficultyChallenge.MaxDifficulty"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static bool TrySolve(
        Bytes32 publicKey,
        Bytes32 blockHash,
        int difficulty,
        TimeSpan maxTime,
        out ulong nonce,
        IProgress<DifficultyProgress>? progress = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(difficulty, DifficultyChallenge.MaxDifficulty);
        nonce = 0;
        if (difficulty <= 0)
        {
            return true;
        }

        TimeProvider time = timeProvider ?? TimeProvider.System;
        long started = time.GetTimestamp();
        Span<uint> midstate = stackalloc uint[8];
        Span<uint> w = stackalloc uint[64];
        Span<uint> digest = stackalloc uint[8];
        Midstate(publicKey, blockHash, midstate);
        for (ulong candidate = 0; ; candidate++)
        {
            // Difficulties above 64 bits are refused above, so the digest's first 64 bits decide.
            if (BitOperations.LeadingZeroCount(DigestPrefix(midstate, candidate, w, digest)) >= difficulty)
            {
                nonce = candidate;
                progress?.Report(new DifficultyProgress(difficulty, (long)candidate + 1, time.GetElapsedTime(started), Solved: true));
                return true;
            }

            if ((candidate + 1) % ReportEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TimeSpan elapsed = time.GetElapsedTime(started);
                progress?.Report(new DifficultyProgress(difficulty, (long)candidate + 1, elapsed, Solved: false));
                if (elapsed >= maxTime)
                {
                    return false;
                }
            }
        }
    }

    /// <summary>
    /// The search of the other overload for a key pair's public key and a block hash as the gateway's <c>/block</c> spells it.
    /// </summary>
    /// <exception cref="ArgumentException">The block hash is not 32 bytes of hex.</exception>
    public static bool TrySolve(ReadOnlySpan<byte> publicKey, string blockHash, int difficulty, TimeSpan maxTime, out ulong nonce, IProgress<DifficultyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!Bytes32.TryParseHex(blockHash, out Bytes32 block))
        {
            throw new ArgumentException("The block hash must be 32 bytes of hex.", nameof(blockHash));
        }

        return TrySolve(new Bytes32(publicKey), block, difficulty, maxTime, out nonce, progress, null, cancellationToken);
    }
}
