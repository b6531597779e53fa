using SessionGate.Balances;
using SessionGate.RateLimiting;

namespace SessionGate.Tests.RateLimiting.Tiers;

/// <summary>A balance source answering a fixed result, synchronously or after <see cref="Gate"/>, or throwing.</summary>
internal sealed class StubBalanceSource : IBalanceSource
{
    public BalanceResult Result { get; set; } = BalanceResult.Unknown;

    public Task? Gate { get; set; }

    public Exception? Throw { get; set; }

    public bool ThrowSynchronously { get; set; }

    public int Calls { get; private set; }

    public static BalanceResult Known(decimal balance) => new(true, balance, DateTimeOffset.UnixEpoch);

    public ValueTask<BalanceResult> GetBalanceAsync(string account, CancellationToken cancellationToken = default)
    {
        Calls++;
        if (Throw is not null && ThrowSynchronously)
        {
            throw Throw;
        }

        return Gate is null && Throw is null ? new ValueTask<BalanceResult>(Result) : new ValueTask<BalanceResult>(AnswerAsync());
    }

    private async Task<BalanceResult> AnswerAsync()
    {
        if (Gate is not null)
        {
            await Gate;
        }

        await Task.Yield();
        return Throw is null ? Result : throw Throw;
    }
}

/// <summary>An override store that fails like a store whose Redis is down (synchronously or not).</summary>
internal sealed class FailingOverrideStore(bool synchronously) : ITierOverrideStore
{
    public ValueTask<string?> GetAsync(string account, CancellationToken cancellationToken = default) =>
        synchronously ? throw new InvalidOperationException("redis down") : new ValueTask<string?>(FailAsync());

    public Task SetAsync(string account, string? tierName, CancellationToken cancellationToken = default) => throw new InvalidOperationException("redis down");

    private static async Task<string?> FailAsync()
    {
        await Task.Yield();
        throw new TimeoutException("redis timeout");
    }
}
