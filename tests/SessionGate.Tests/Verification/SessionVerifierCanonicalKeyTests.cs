using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Chain;
using SessionGate.Crypto;
using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Testing;
using SessionGate.Testing.Protocol;
using SessionGate.Tests.Fakes;
using SessionGate.Tests.Protocol;
using SessionGate.Verification;
using SessionGate.Verification.Budget;
using SessionGate.Verification.Signatures;

namespace SessionGate.Tests.Verification;

/// <summary>
/// The verdict cache is keyed by the header's canonical content, and first-seen headers are charged to
/// the client's verification budget before any signature work (issue 17, finding 1).
/// </summary>
public sealed class SessionVerifierCanonicalKeyTests : IDisposable
{
    private const string Client = "192.0.2.7";

    private readonly FakeTimeProvider _time = new(TestTime.Start);
    private readonly FakeBlockFeed _feed = new();
    private readonly FakeSignerKeyDirectory _directory = new();
    private readonly CountingSignatureVerifier _signatures = new();
    private readonly Sr25519KeyPair _key = SessionHeaders.Key(5);
    private readonly string _account = SessionHeaders.Account(5);

    public SessionVerifierCanonicalKeyTests() =>
        _directory.Put(new SignerKeyRecord { PublicKey = new Bytes32(_key.PublicKey), Account = _account, Expires = _time.GetUtcNow().AddDays(1) });

    public void Dispose() => _key.Dispose();

    private SessionVerifier Verifier(int verificationsPerMinute = 0) => new(
        _feed, _directory, _time, new SessionVerifierOptions(), signatureVerifier: _signatures,
        budget: new VerificationBudget(new ClientBlockingOptions { VerificationsPerMinute = verificationsPerMinute }, _time, NullLogger<VerificationBudget>.Instance));

    [Fact]
    public async Task VerifyAsync_TenThousandRespellingsOfOneHeader_VerifyTheSignatureOnceAndHoldOneEntry()
    {
        SessionVerifier verifier = Verifier();
        string header = KiraSessionHeader.Create(_key, _account, _feed.AddBlock(_time.GetUtcNow()).Hash.ToUpperHex());
        var spellings = new HashSet<string>(StringComparer.Ordinal);

        for (int n = 0; n < 10_000; n++)
        {
            string spelling = HeaderRespellings.Respell(header, n);
            spellings.Add(spelling);
            SessionVerdict verdict = await verifier.VerifyAsync(spelling, Client);
            Assert.True(verdict.IsValid, $"spelling {n} refused: {verdict.Error} {spelling}");
            Assert.Equal(n == 0, verdict.FirstSeen);
        }

        Assert.Equal(10_000, spellings.Count);
        Assert.Equal(1, _signatures.Calls);
        Assert.Equal(1, verifier.CachedVerdicts);
    }

    [Fact]
    public async Task VerifyAsync_ConcurrentRespellingsOfANewHeader_ShareOneSignatureCheck()
    {
        var gate = new TaskCompletionSource();
        var slow = new GatedSignatureVerifier(gate.Task);
        var verifier = new SessionVerifier(_feed, _directory, _time, new SessionVerifierOptions(), signatureVerifier: slow,
            budget: new VerificationBudget(new ClientBlockingOptions { VerificationsPerMinute = 1 }, _time, NullLogger<VerificationBudget>.Instance));
        string header = KiraSessionHeader.Create(_key, _account, _feed.AddBlock(_time.GetUtcNow()).Hash.ToUpperHex());

        Task<SessionVerdict>[] verdicts = [.. Enumerable.Range(0, 16).Select(n => verifier.VerifyAsync(HeaderRespellings.Respell(header, n), Client).AsTask())];
        gate.SetResult();
        SessionVerdict[] results = await Task.WhenAll(verdicts);

        Assert.All(results, v => Assert.True(v.IsValid, v.Error.ToString()));
        Assert.Equal(1, slow.Calls);   // and the budget of one was enough for all sixteen
        Assert.Equal(1, results.Count(v => v.FirstSeen));
    }

    [Fact]
    public async Task VerifyAsync_FreshHeadersBeyondTheBudget_AreRefusedBeforeSignatureWork()
    {
        SessionVerifier verifier = Verifier(verificationsPerMinute: 5);
        BlockInfo block = _feed.AddBlock(_time.GetUtcNow());

        var errors = new List<SessionError>();
        string[] headers = [.. Enumerable.Range(0, 8).Select(n => KiraSessionHeader.Create(_key, _account, block.Hash.ToUpperHex(), (ulong)n))];
        foreach (string header in headers)
        {
            SessionVerdict verdict = await verifier.VerifyAsync(header, Client);
            Assert.True(verdict.FirstSeen);
            errors.Add(verdict.Error);
            if (verdict.Error == SessionError.VerificationBudgetExceeded)
            {
                Assert.InRange(verdict.RetryAfter!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
            }
        }

        Assert.Equal([.. Enumerable.Repeat(SessionError.None, 5), .. Enumerable.Repeat(SessionError.VerificationBudgetExceeded, 3)], errors);
        Assert.Equal(5, _signatures.Calls);

        // Another address has its own budget; a header already verified costs no budget; a new minute refills.
        Assert.True((await verifier.VerifyAsync(KiraSessionHeader.Create(_key, _account, block.Hash.ToUpperHex(), 100), "192.0.2.8")).IsValid);
        Assert.True((await verifier.VerifyAsync(headers[0], Client)).IsValid);
        Assert.Equal(SessionError.VerificationBudgetExceeded, (await verifier.VerifyAsync(headers[7], Client)).Error);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await verifier.VerifyAsync(headers[7], Client)).IsValid);
    }

    [Fact]
    public async Task VerifyAsync_WithoutClient_ChargesNoBudget()
    {
        SessionVerifier verifier = Verifier(verificationsPerMinute: 1);
        BlockInfo block = _feed.AddBlock(_time.GetUtcNow());

        for (ulong nonce = 0; nonce < 3; nonce++)
        {
            Assert.True((await verifier.VerifyAsync(KiraSessionHeader.Create(_key, _account, block.Hash.ToUpperHex(), nonce))).IsValid);
        }
    }

    [Fact]
    public async Task VerifyAsync_BadSignatureSentFirstInAnotherSpelling_DoesNotPoisonTheSignedSpelling()
    {
        SessionVerifier verifier = Verifier();
        string hash = _feed.AddBlock(_time.GetUtcNow()).Hash.ToUpperHex();
        string header = KiraSessionHeader.Create(_key, _account, hash);
        // Same content (block bytes), but the signed message would hold the lower-case hash: never signed.
        string lowered = header.Replace(hash, hash.ToLowerInvariant(), StringComparison.Ordinal);

        Assert.Equal(SessionError.SignatureInvalid, (await verifier.VerifyAsync(lowered, Client)).Error);
        Assert.Equal(SessionError.SignatureInvalid, (await verifier.VerifyAsync(lowered, Client)).Error);
        Assert.True((await verifier.VerifyAsync(header, Client)).IsValid);

        // Once the content is verified, its other spellings share the verdict.
        Assert.True((await verifier.VerifyAsync(lowered, Client)).IsValid);
        Assert.Equal(3, _signatures.Calls);   // the bad spelling under both message forms, then the signed one once
    }

    [Fact]
    public async Task VerifyAsync_MalformedHeaders_AreNeverCached()
    {
        SessionVerifier verifier = Verifier();
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(SessionError.SessionMalformed, (await verifier.VerifyAsync("{\"n\":" + i + "}", Client)).Error);
        }

        Assert.Equal(0, verifier.CachedVerdicts);
        Assert.Equal(0, _signatures.Calls);
    }

    private sealed class GatedSignatureVerifier(Task gate) : ISignatureVerifier
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<bool> VerifyAsync(Sr25519SignatureItem item, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            await gate.ConfigureAwait(false);
            return Sr25519.Verify(item.PublicKey.Span, item.Context.Span, item.Message.Span, item.Signature.Span);
        }
    }

    private sealed class CountingSignatureVerifier : ISignatureVerifier
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
