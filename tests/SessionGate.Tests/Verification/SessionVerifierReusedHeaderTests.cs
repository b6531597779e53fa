using Microsoft.Extensions.Time.Testing;
using SessionGate.Chain;
using SessionGate.Crypto;
using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Testing;
using SessionGate.Tests.Fakes;
using SessionGate.Tests.Protocol;
using SessionGate.Verification;

namespace SessionGate.Tests.Verification;

/// <summary>The reused-header memo in front of the spelling cache: exact text → canonical key, bounded by bytes (issue 16).</summary>
public sealed class SessionVerifierReusedHeaderTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestTime.Start);
    private readonly FakeBlockFeed _feed = new();
    private readonly FakeSignerKeyDirectory _directory = new();
    private readonly Sr25519KeyPair _key = SessionHeaders.Key(6);
    private readonly string _account = SessionHeaders.Account(6);
    private readonly SessionVerifier _verifier;

    public SessionVerifierReusedHeaderTests()
    {
        _verifier = new SessionVerifier(_feed, _directory, _time, new SessionVerifierOptions());
        _directory.Put(new SignerKeyRecord { PublicKey = new Bytes32(_key.PublicKey), Account = _account, Expires = _time.GetUtcNow().AddDays(1) });
    }

    public void Dispose() => _key.Dispose();

    private string Header(BlockInfo block, ulong nonce = 0) => KiraSessionHeader.Create(_key, _account, block.Hash.ToUpperHex(), nonce);

    [Fact]
    public async Task VerifyAsync_ReusedHeader_IsMemoizedOnceByItsText()
    {
        string header = Header(_feed.AddBlock(_time.GetUtcNow()));

        for (int i = 0; i < 50; i++)
        {
            // A new string instance each time, as Kestrel hands over: equal text, not the same object.
            Assert.True((await _verifier.VerifyAsync(new string(header.AsSpan()))).IsValid);
        }

        Assert.Equal(1, _verifier.ReusedHeaders);
        Assert.Equal(1, _verifier.CachedVerdicts);
    }

    [Fact]
    public async Task VerifyAsync_LongRespelling_IsNotMemoizedButFindsTheSameVerdict()
    {
        string header = Header(_feed.AddBlock(_time.GetUtcNow()));
        string padded = "{" + new string(' ', SessionVerifier.ReusedHeaderMaxLength) + header[1..];

        Assert.True((await _verifier.VerifyAsync(header)).IsValid);
        Assert.True((await _verifier.VerifyAsync(padded)).IsValid);
        Assert.True((await _verifier.VerifyAsync(padded)).IsValid);

        Assert.Equal(1, _verifier.ReusedHeaders);
        Assert.Equal(1, _verifier.CachedVerdicts);
    }

    [Fact]
    public async Task VerifyAsync_MalformedHeader_IsNotMemoized()
    {
        Assert.Equal(SessionError.SessionMalformed, (await _verifier.VerifyAsync("{\"pubkey\":\"00\"}")).Error);
        Assert.Equal(SessionError.SessionMalformed, (await _verifier.VerifyAsync("{\"pubkey\":\"00\"}")).Error);

        Assert.Equal(0, _verifier.ReusedHeaders);
    }

    [Fact]
    public async Task VerifyAsync_MoreDistinctHeadersThanTheMemoHolds_StaysWithinItsBound()
    {
        BlockInfo block = _feed.AddBlock(_time.GetUtcNow());
        int headers = SessionVerifier.ReusedHeaderCapacity + 1_500;

        for (int i = 0; i < headers; i++)
        {
            Assert.True((await _verifier.VerifyAsync(Header(block, (ulong)i))).IsValid);
        }

        Assert.InRange(_verifier.ReusedHeaders, 1, SessionVerifier.ReusedHeaderCapacity);
    }
}
