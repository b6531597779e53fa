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

public sealed class SessionVerifierTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestTime.Start);
    private readonly FakeBlockFeed _feed = new();
    private readonly FakeSignerKeyDirectory _directory = new();
    private readonly Sr25519KeyPair _key = SessionHeaders.Key(5);
    private readonly string _account = SessionHeaders.Account(5);
    private readonly SessionVerifier _verifier;

    public SessionVerifierTests()
    {
        _verifier = new SessionVerifier(_feed, _directory, _time, new SessionVerifierOptions());
        _directory.Put(new SignerKeyRecord { PublicKey = new Bytes32(_key.PublicKey), Account = _account, Expires = _time.GetUtcNow().AddDays(1) });
    }

    public void Dispose() => _key.Dispose();

    private string Header(BlockInfo block, ulong nonce = 0, Sr25519KeyPair? key = null, string? account = null) =>
        KiraSessionHeader.Create(key ?? _key, account ?? _account, block.Hash.ToUpperHex(), nonce);

    private async Task<SessionError> VerifyAsync(string header) => (await _verifier.VerifyAsync(header)).Error;

    [Fact]
    public async Task VerifyAsync_ValidHeader_ReturnsSessionAndKey()
    {
        BlockInfo block = _feed.AddBlock(_time.GetUtcNow());

        SessionVerdict verdict = await _verifier.VerifyAsync(Header(block));

        Assert.True(verdict.IsValid);
        Assert.Equal(_account, verdict.Session!.Account);
        Assert.Equal(new Bytes32(_key.PublicKey), verdict.Session.PublicKey);
        Assert.Equal(block.Height, verdict.Session.BlockHeight);
        Assert.Equal(_account, verdict.Key!.Account);
    }

    [Fact]
    public async Task VerifyAsync_ReusedHeader_IsAnsweredFromTheCache()
    {
        string header = Header(_feed.AddBlock(_time.GetUtcNow()));
        for (int i = 0; i < 100; i++)
        {
            Assert.True((await _verifier.VerifyAsync(header)).IsValid);
        }

        Assert.Equal(1, _feed.Lookups);
        Assert.Equal(1, _verifier.CachedVerdicts);
    }

    [Fact]
    public async Task VerifyAsync_Malformed_ReturnsSessionMalformedWithDetail()
    {
        SessionVerdict verdict = await _verifier.VerifyAsync("{\"pubkey\":1}");
        Assert.Equal(SessionError.SessionMalformed, verdict.Error);
        Assert.NotNull(verdict.Detail);
        Assert.Equal(SessionError.SessionMalformed, await VerifyAsync(new string('a', 3000)));
        Assert.Equal(SessionError.SessionMalformed, await VerifyAsync(new string('é', 1500)));
    }

    [Fact]
    public async Task VerifyAsync_BadSignature_ReturnsSignatureInvalid()
    {
        string header = Header(_feed.AddBlock(_time.GetUtcNow()));
        string forged = header.Replace("\"nonce\":0", "\"nonce\":1", StringComparison.Ordinal);
        Assert.Equal(SessionError.SignatureInvalid, await VerifyAsync(forged));
        Assert.Equal(SessionError.SignatureInvalid, await VerifyAsync(forged));
    }

    [Fact]
    public async Task VerifyAsync_UnknownBlock_ReturnsBlockUnknownUntilTheBlockIsKnown()
    {
        var future = new BlockInfo(99, new Bytes32(new byte[32]), _time.GetUtcNow());
        string header = Header(future);
        Assert.Equal(SessionError.BlockUnknown, await VerifyAsync(header));
        Assert.Equal(SessionError.BlockUnknown, await VerifyAsync(header));
    }

    [Fact]
    public async Task VerifyAsync_ChainUnavailable_ReturnsChainUnavailable()
    {
        _feed.Available = false;
        Assert.Equal(SessionError.ChainUnavailable, await VerifyAsync(Header(new BlockInfo(1, new Bytes32(new byte[32]), _time.GetUtcNow()))));
    }

    [Fact]
    public async Task VerifyAsync_BlockOlderThanWindow_ReturnsBlockExpired()
    {
        BlockInfo old = _feed.AddBlock(_time.GetUtcNow() - TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(16));
        Assert.Equal(SessionError.BlockExpired, await VerifyAsync(Header(old)));

        BlockInfo recent = _feed.AddBlock(_time.GetUtcNow() - TimeSpan.FromMinutes(5));
        Assert.Equal(SessionError.None, await VerifyAsync(Header(recent)));
    }

    [Fact]
    public async Task VerifyAsync_CachedHeaderWhoseBlockLeavesTheWindow_ReturnsBlockExpired()
    {
        string header = Header(_feed.AddBlock(_time.GetUtcNow()));
        Assert.Equal(SessionError.None, await VerifyAsync(header));

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(14));
        Assert.Equal(SessionError.None, await VerifyAsync(header));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(SessionError.BlockExpired, await VerifyAsync(header));
    }

    [Fact]
    public async Task VerifyAsync_UnregisteredKey_ReturnsKeyUnknown()
    {
        using Sr25519KeyPair other = SessionHeaders.Key(9);
        Assert.Equal(SessionError.KeyUnknown, await VerifyAsync(Header(_feed.AddBlock(_time.GetUtcNow()), key: other)));
    }

    [Fact]
    public async Task VerifyAsync_KeyOfAnotherAccount_ReturnsKeyAccountMismatch()
    {
        Assert.Equal(SessionError.KeyAccountMismatch, await VerifyAsync(Header(_feed.AddBlock(_time.GetUtcNow()), account: SessionHeaders.Account(6))));
    }

    [Fact]
    public async Task VerifyAsync_KeyDisabledAfterCaching_ReturnsKeyDisabled()
    {
        string header = Header(_feed.AddBlock(_time.GetUtcNow()));
        Assert.Equal(SessionError.None, await VerifyAsync(header));

        await _directory.DisableAsync(new Bytes32(_key.PublicKey));

        Assert.Equal(SessionError.KeyDisabled, await VerifyAsync(header));
    }

    [Fact]
    public async Task VerifyAsync_KeyExpiryPassedOrShortened_ReturnsKeyExpired()
    {
        string header = Header(_feed.AddBlock(_time.GetUtcNow()));
        Assert.Equal(SessionError.None, await VerifyAsync(header));

        await _directory.SetExpiryAsync(new Bytes32(_key.PublicKey), _time.GetUtcNow());

        Assert.Equal(SessionError.KeyExpired, await VerifyAsync(header));
    }

    [Fact]
    public async Task VerifyAsync_DirectoryUnreachable_ReturnsStoreUnavailable()
    {
        string header = Header(_feed.AddBlock(_time.GetUtcNow()));
        _directory.Unreachable = true;
        Assert.Equal(SessionError.StoreUnavailable, await VerifyAsync(header));
    }

    [Fact]
    public async Task VerifyAsync_ManyDistinctInvalidHeaders_KeepsTheCacheBounded()
    {
        var verifier = new SessionVerifier(_feed, _directory, _time, new SessionVerifierOptions { VerdictCacheCapacity = 1000 });
        for (int i = 0; i < 20_000; i++)
        {
            await verifier.VerifyAsync("{\"n\":" + i + "}");
        }

        Assert.True(verifier.CachedVerdicts <= 1000);
    }

    [Theory]
    [InlineData("/api/x", "GET", true)]
    [InlineData("/api", "GET", true)]
    [InlineData("/apix", "GET", false)]
    [InlineData("/admin/x", "GET", false)]
    [InlineData("/api/x", "POST", false)]
    [InlineData("/rpc/call", "POST", true)]
    [InlineData("/rpc/call", "post", true)]
    public void ScopeCheck_PrefixAndMethods_AreEnforced(string path, string method, bool allowed)
    {
        KeyScope[] scopes = [new("/api", ["GET"]), new("/rpc/", [])];
        Assert.Equal(allowed, ScopeCheck.Allows(scopes, path, method));
        Assert.True(ScopeCheck.Allows([], path, method));
    }

    [Fact]
    public void SessionErrors_EveryValue_HasAStableDescription()
    {
        foreach (SessionError error in Enum.GetValues<SessionError>().Where(e => e != SessionError.None))
        {
            SessionErrorDescription description = SessionErrors.Describe(error);
            Assert.Matches("^[a-z_]+$", description.Code);
            Assert.InRange(description.Status, 400, 599);
        }
    }
}
