using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Chain;
using SessionGate.Client;
using SessionGate.Crypto;
using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Testing;
using SessionGate.Tests.Fakes;
using SessionGate.Tests.Protocol;
using SessionGate.Verification;
using SessionGate.Verification.Difficulty;
using SessionGate.Verification.Signatures;

namespace SessionGate.Tests.Verification.Difficulty;

/// <summary>
/// The challenge inside the verifier: checked on the cache-miss path before any signature work,
/// never on a cache hit, and a refusal is not cached (the header passes once the difficulty falls).
/// </summary>
public sealed class DifficultyVerifierTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestTime.Start);
    private readonly FakeBlockFeed _feed = new();
    private readonly FakeSignerKeyDirectory _directory = new();
    private readonly CountingVerifier _signatures = new();
    private readonly TestMeterFactory _meters = new();
    private readonly Sr25519KeyPair _key = SessionHeaders.Key(9);
    private readonly string _account = SessionHeaders.Account(9);

    public DifficultyVerifierTests() =>
        _directory.Put(new SignerKeyRecord { PublicKey = new Bytes32(_key.PublicKey), Account = _account, Expires = _time.GetUtcNow().AddDays(1) });

    public void Dispose()
    {
        _key.Dispose();
        _meters.Dispose();
    }

    private SessionVerifier Verifier(DifficultyGate gate) =>
        new(_feed, _directory, _time, new SessionVerifierOptions(), signatureVerifier: _signatures, difficulty: gate);

    private DifficultyGate Gate(DifficultyMode mode, int bits = 12, double budget = 5) => new(
        new DifficultyOptions { Mode = mode, Bits = bits, FirstSeenVerificationsPerSecond = budget, LowerAfter = TimeSpan.FromSeconds(10) },
        _time,
        _meters);

    private MetricCollector<long> Checks() => new(_meters, global::SessionGate.Diagnostics.SessionGateMeter.Name, DifficultyMetrics.ChecksName);

    private ulong Solve(BlockInfo block, int difficulty) =>
        DifficultySolver.TrySolve(new Bytes32(_key.PublicKey), block.Hash, difficulty, TimeSpan.FromMinutes(1), out ulong nonce) ? nonce : throw new InvalidOperationException();

    // A nonce that does not meet the difficulty (the first one, scanning from 0).
    private ulong Unsolved(BlockInfo block, int difficulty) =>
        Enumerable.Range(0, 100).Select(n => (ulong)n).First(n => !DifficultyChallenge.Meets(new Bytes32(_key.PublicKey), block.Hash, n, difficulty));

    private string Header(BlockInfo block, ulong nonce) => KiraSessionHeader.Create(_key, _account, block.Hash.ToUpperHex(), nonce);

    [Fact]
    public async Task VerifyAsync_AlwaysUnsolvedNonce_RefusedWithoutSignatureWork()
    {
        using DifficultyGate gate = Gate(DifficultyMode.Always);
        using MetricCollector<long> checks = Checks();
        using SessionVerifier verifier = Verifier(gate);
        BlockInfo block = _feed.AddBlock(_time.GetUtcNow());

        SessionVerdict verdict = await verifier.VerifyAsync(Header(block, Unsolved(block, 12)));

        Assert.Equal(SessionError.DifficultyRequired, verdict.Error);
        Assert.Contains("12 zero bits", verdict.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _signatures.Calls);
        Assert.Equal(0, _feed.Lookups);
        Assert.Equal(0, verifier.CachedVerdicts);
        CollectedMeasurement<long> refused = Assert.Single(checks.GetMeasurementSnapshot());
        Assert.Equal("refused", refused.Tags[DifficultyMetrics.ResultTag]);
    }

    [Fact]
    public async Task VerifyAsync_AlwaysForgedSignatureUnsolved_IsDifficultyRequiredNotSignatureInvalid()
    {
        using DifficultyGate gate = Gate(DifficultyMode.Always);
        using SessionVerifier verifier = Verifier(gate);
        BlockInfo block = _feed.AddBlock(_time.GetUtcNow());
        ulong unsolved = Unsolved(block, 12);
        string forged = Header(block, unsolved).Replace($"\"nonce\":{unsolved}", $"\"nonce\":{unsolved + 1000}", StringComparison.Ordinal);

        Assert.Equal(SessionError.DifficultyRequired, (await verifier.VerifyAsync(forged)).Error);
        Assert.Equal(0, _signatures.Calls);
    }

    [Fact]
    public async Task VerifyAsync_AlwaysSolvedNonce_IsVerifiedOnce()
    {
        using DifficultyGate gate = Gate(DifficultyMode.Always);
        using SessionVerifier verifier = Verifier(gate);
        BlockInfo block = _feed.AddBlock(_time.GetUtcNow());
        string header = Header(block, Solve(block, 12));

        for (int i = 0; i < 5; i++)
        {
            Assert.True((await verifier.VerifyAsync(header)).IsValid);
        }

        Assert.Equal(1, _signatures.Calls);
    }

    [Fact]
    public async Task VerifyAsync_HeaderVerifiedBeforeDifficultyRose_StaysValid_NewOnesMustSolve()
    {
        using DifficultyGate gate = Gate(DifficultyMode.Auto, bits: 8, budget: 5);
        using SessionVerifier verifier = Verifier(gate);
        BlockInfo block = _feed.AddBlock(_time.GetUtcNow());
        string early = Header(block, Unsolved(block, 8));
        Assert.True((await verifier.VerifyAsync(early)).IsValid);

        // A burst of fresh headers in one second: over the budget, so the difficulty rises.
        for (ulong n = 1000; n < 1020; n++)
        {
            await verifier.VerifyAsync(Header(block, n));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(gate.Current > 0);

        Assert.True((await verifier.VerifyAsync(early)).IsValid);   // a cache hit: never re-checked
        int callsBefore = _signatures.Calls;
        ulong unsolved = Enumerable.Range(2000, 100).Select(n => (ulong)n).First(n => !DifficultyChallenge.Meets(new Bytes32(_key.PublicKey), block.Hash, n, gate.Current));
        Assert.Equal(SessionError.DifficultyRequired, (await verifier.VerifyAsync(Header(block, unsolved))).Error);
        Assert.Equal(callsBefore, _signatures.Calls);
    }

    [Fact]
    public async Task VerifyAsync_RefusedHeader_PassesOnceTheDifficultyFalls()
    {
        using DifficultyGate gate = Gate(DifficultyMode.Auto, bits: 8, budget: 5);
        using SessionVerifier verifier = Verifier(gate);
        BlockInfo block = _feed.AddBlock(_time.GetUtcNow());
        for (ulong n = 1000; n < 1020; n++)
        {
            await verifier.VerifyAsync(Header(block, n));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        string refused = Header(block, Unsolved(block, gate.Current));
        Assert.Equal(SessionError.DifficultyRequired, (await verifier.VerifyAsync(refused)).Error);

        _time.Advance(TimeSpan.FromSeconds(1)); // calm starts
        Assert.True(gate.Current > 0);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, gate.Current);

        Assert.True((await verifier.VerifyAsync(refused)).IsValid);
    }

    [Fact]
    public async Task VerifyAsync_Off_NeverChecks()
    {
        using DifficultyGate gate = Gate(DifficultyMode.Off);
        using MetricCollector<long> checks = Checks();
        using SessionVerifier verifier = Verifier(gate);
        BlockInfo block = _feed.AddBlock(_time.GetUtcNow());

        Assert.True((await verifier.VerifyAsync(Header(block, Unsolved(block, 12)))).IsValid);
        Assert.Empty(checks.GetMeasurementSnapshot());
        Assert.Equal(0, gate.Current);
    }

    // Meters of this test only (MetricCollector filters by the factory as scope), so parallel tests do not mix in.
    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _created = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _created.Add(meter);
            return meter;
        }

        public void Dispose() => _created.ForEach(m => m.Dispose());
    }

    private sealed class CountingVerifier : ISignatureVerifier
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<bool> VerifyAsync(Sr25519SignatureItem item, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(Sr25519.Verify(item.PublicKey.Span, item.Context.Span, item.Message.Span, item.Signature.Span));
        }
    }
}
