using Microsoft.Extensions.Time.Testing;
using SessionGate.Client;
using SessionGate.Protocol;
using SessionGate.Testing;

namespace SessionGate.Tests.Client;

/// <summary>The .NET client's nonce search agrees with the gateway's check, is bounded and reports progress.</summary>
public sealed class DifficultySolverTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(12)]
    public void TrySolve_AnyKeyAndBlock_FindsANonceTheCheckerAccepts(int difficulty)
    {
        for (byte seed = 1; seed <= 3; seed++)
        {
            var key = new Bytes32(Enumerable.Repeat(seed, 32).ToArray());
            var block = new Bytes32(Enumerable.Range(0, 32).Select(i => (byte)(i * seed)).ToArray());

            Assert.True(DifficultySolver.TrySolve(key, block, difficulty, TimeSpan.FromMinutes(1), out ulong nonce));

            Assert.True(DifficultyChallenge.Meets(key, block, nonce, difficulty));
            Assert.True(DifficultyChallenge.LeadingZeroBits(key, block, nonce) >= difficulty);
            ulong first = Enumerable.Range(0, (int)nonce + 1).Select(n => (ulong)n).First(n => DifficultyChallenge.Meets(key, block, n, difficulty));
            Assert.Equal(first, nonce); // the search goes 0, 1, 2, …: it returns the first solution
        }
    }

    [Fact]
    public void SearchDigest_RandomKeysBlocksAndNonces_AgreesWithSha256HashData()
    {
        var random = new Random(17);
        byte[] input = new byte[DifficultyChallenge.InputSize];
        for (int i = 0; i < 2000; i++)
        {
            byte[] key = new byte[32], block = new byte[32];
            random.NextBytes(key);
            random.NextBytes(block);
            ulong nonce = i < 1000 ? (ulong)i : (ulong)random.NextInt64() * 2 + (ulong)(i & 1);
            DifficultyChallenge.WriteInput(new Bytes32(key), new Bytes32(block), nonce, input);

            Assert.Equal(System.Security.Cryptography.SHA256.HashData(input), DifficultySolver.SearchDigest(new Bytes32(key), new Bytes32(block), nonce));
        }
    }

    [Fact]
    public void TrySolve_WorkedExample_FindsTheDocumentedNonce()
    {
        Assert.True(DifficultySolver.TrySolve(
            Convert.FromHexString("44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f"),
            "0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE",
            12,
            TimeSpan.FromMinutes(1),
            out ulong nonce));
        Assert.Equal(5072UL, nonce);
    }

    [Fact]
    public void TrySolve_DifficultyZero_IsNonceZeroWithoutWork()
    {
        var progress = new ListProgress();
        Assert.True(DifficultySolver.TrySolve(new Bytes32(), new Bytes32(), 0, TimeSpan.FromTicks(1), out ulong nonce, progress));
        Assert.Equal(0UL, nonce);
        Assert.Empty(progress.Reports);
    }

    [Fact]
    public void TrySolve_PastMaxTime_ReturnsFalseAfterReportingProgress()
    {
        // Every clock read moves a second: the 5 s budget ends after a few reports, whatever the CPU.
        var time = new FakeTimeProvider(TestTime.Start) { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        var progress = new ListProgress();

        bool solved = DifficultySolver.TrySolve(new Bytes32(new byte[32]), new Bytes32(new byte[32]), 64, TimeSpan.FromSeconds(5), out _, progress, time);

        Assert.False(solved);
        Assert.NotEmpty(progress.Reports);
        Assert.All(progress.Reports, r => Assert.False(r.Solved));
        Assert.Equal(progress.Reports.Count, progress.Reports.Select(r => r.Hashes).Distinct().Count());
        Assert.Equal(Math.Pow(2, 64), progress.Reports[0].ExpectedHashes);
    }

    [Fact]
    public void TrySolve_Solved_LastReportSaysSoWithTheHashesTried()
    {
        var key = new Bytes32(Enumerable.Repeat((byte)7, 32).ToArray());
        var progress = new ListProgress();

        Assert.True(DifficultySolver.TrySolve(key, key, 10, TimeSpan.FromMinutes(1), out ulong nonce, progress));

        DifficultyProgress last = progress.Reports[^1];
        Assert.True(last.Solved);
        Assert.Equal((long)nonce + 1, last.Hashes);
        Assert.Equal(10, last.Difficulty);
    }

    [Fact]
    public void TrySolve_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            DifficultySolver.TrySolve(new Bytes32(new byte[32]), new Bytes32(new byte[32]), 64, TimeSpan.FromMinutes(1), out _, null, null, cancelled.Token));
    }

    [Fact]
    public void TrySolve_DifficultyAbove64_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DifficultySolver.TrySolve(new Bytes32(), new Bytes32(), 65, TimeSpan.FromSeconds(1), out _));

    // Synchronous, unlike Progress<T> (which posts to the thread pool).
    private sealed class ListProgress : IProgress<DifficultyProgress>
    {
        public List<DifficultyProgress> Reports { get; } = [];

        public void Report(DifficultyProgress value) => Reports.Add(value);
    }
}
