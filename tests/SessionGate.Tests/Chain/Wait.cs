namespace SessionGate.Tests.Chain;

/// <summary>Polls a condition with a deadline (never a fixed sleep): for work that finishes on another thread.</summary>
internal static class Wait
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task UntilAsync(Func<bool> condition, string because)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Condition did not hold within {Deadline}: {because}");
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }
}
