using System.Text.Json;
using SessionGate.Protocol;

namespace SessionGate.Client;

// The difficulty challenge, client side: the difficulty is learnt from /block (every refresh) and
// from a 401 difficulty_required (the difficulty rose after the block was read; the request is
// retried once, like a stale block). The nonce is found before signing, on the thread pool.
public sealed partial class KiraSessionHandler
{
    // The difficulty named by the last difficulty_required answer, used (once) by the next refresh.
    private int _refusedDifficulty;

    /// <summary>True for a <c>difficulty_required</c> problem; remembers the difficulty it names.</summary>
    private bool LearnDifficulty(JsonElement problem, string? code)
    {
        if (code != "difficulty_required")
        {
            return false;
        }

        int difficulty = problem.TryGetProperty("difficulty", out JsonElement d) && d.TryGetInt32(out int value) ? value : 0;
        Volatile.Write(ref _refusedDifficulty, Math.Clamp(difficulty, 0, DifficultyChallenge.MaxDifficulty));
        return true;
    }

    /// <summary>The nonce to sign: 0 without a challenge, else a solution found within MaxSolveTime.</summary>
    private async Task<ulong> SolveNonceAsync(LatestBlock.Answer block, CancellationToken cancellationToken)
    {
        int difficulty = Math.Max(block.Difficulty, Interlocked.Exchange(ref _refusedDifficulty, 0));
        if (difficulty <= 0)
        {
            return 0;
        }

        Bytes32 publicKey = new(_keyPair.PublicKey);
        Bytes32.TryParseHex(block.Hash, out Bytes32 blockHash);
        (bool solved, ulong nonce) = await Task.Run(
            () => (DifficultySolver.TrySolve(publicKey, blockHash, difficulty, _options.MaxSolveTime, out ulong n, _options.SolveProgress, _options.TimeProvider, cancellationToken), n),
            cancellationToken).ConfigureAwait(false);
        return solved
            ? nonce
            : throw new KiraSessionException($"The gateway asks for proof of work of difficulty {difficulty} (about 2^{difficulty} hashes) and none was found within {_options.MaxSolveTime}; raise KiraSessionClientOptions.MaxSolveTime or try later.");
    }
}
