using System.Collections.Concurrent;
using SessionGate.Balances;

namespace SessionGate.Tests.Balances;

/// <summary>
/// A hand-written inner balance source: answers from <see cref="Balances"/> (unknown accounts 0),
/// or Unknown while <see cref="Failing"/>, counts calls per account, and can hold every call until
/// <see cref="Gate"/> completes.
/// </summary>
internal sealed class FakeBalanceSource(TimeProvider timeProvider) : IBalanceSource
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private int _total;

    public ConcurrentDictionary<string, decimal> Balances { get; } = new(StringComparer.Ordinal);

    public volatile bool Failing;

    public volatile bool Throwing;

    /// <summary>When set, every call waits for it before answering (so calls can be observed in flight).</summary>
    public Task? Gate { get; set; }

    public int TotalCalls => Volatile.Read(ref _total);

    public int Calls(string account) => _calls.GetValueOrDefault(account);

    public ValueTask<BalanceResult> GetBalanceAsync(string account, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _total);
        _calls.AddOrUpdate(account, 1, static (_, n) => n + 1);
        return Gate is { } gate ? new ValueTask<BalanceResult>(AnswerAfterAsync(gate, account)) : new ValueTask<BalanceResult>(Answer(account));
    }

    private async Task<BalanceResult> AnswerAfterAsync(Task gate, string account)
    {
        await gate.ConfigureAwait(false);
        return Answer(account);
    }

    private BalanceResult Answer(string account)
    {
        if (Throwing)
        {
            throw new InvalidOperationException("inner source bug");
        }

        return Failing ? BalanceResult.Unknown : new BalanceResult(true, Balances.GetValueOrDefault(account), timeProvider.GetUtcNow());
    }
}
