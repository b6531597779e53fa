// The verification pipeline of DESIGN §3. A header value is hashed (SHA-256) and looked up in a
// bounded verdict cache (KIP_9.1 session records). Each cache entry is in one of three states:
//   rejected   – malformed, bad signature, or expired block: refused without further work;
//   pending    – signature verified, block not yet known: only the block lookup is retried;
//   verified   – signature and block verified: only the window and the key directory are checked.
// So a reused header costs one hash, one cache lookup and one local directory lookup.
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using SessionGate.Caching;
using SessionGate.Diagnostics;
using SessionGate.Chain;
using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Storage;
using SessionGate.Verification.Signatures;

namespace SessionGate.Verification;

internal sealed partial class SessionVerifier : ISessionVerifier, IDisposable
{
    private readonly IBlockFeed _blockFeed;
    private readonly ISignerKeyDirectory _directory;
    private readonly TimeProvider _timeProvider;
    private readonly SessionVerifierOptions _options;
    private readonly byte[] _signingContext;
    private readonly BoundedCache<Bytes32, CachedHeader> _cache;
    private readonly VerificationMetrics _metrics;
    private readonly ISignatureVerifier _signatures;

    // signatureVerifier checks first-seen signatures; without one the verifier batches through its own SignatureBatcher.
    public SessionVerifier(IBlockFeed blockFeed, ISignerKeyDirectory directory, TimeProvider timeProvider, SessionVerifierOptions options, IMeterFactory? meterFactory = null, ISignatureVerifier? signatureVerifier = null)
    {
        _signatures = signatureVerifier ?? new SignatureBatcher();
        _blockFeed = blockFeed;
        _directory = directory;
        _timeProvider = timeProvider;
        _options = options;
        _signingContext = Encoding.UTF8.GetBytes(options.SigningContext);
        _cache = new BoundedCache<Bytes32, CachedHeader>(options.VerdictCacheCapacity, timeProvider);
        _metrics = new VerificationMetrics(meterFactory, () => _cache.Count);
    }

    /// <summary>Entries in the verdict cache (for metrics and the memory-bound tests).</summary>
    public int CachedVerdicts => _cache.Count;

    public async ValueTask<SessionVerdict> VerifyAsync(string headerValue, CancellationToken cancellationToken = default)
    {
        if (!TryHashHeader(headerValue, out Bytes32 cacheKey))
        {
            return SessionVerdict.Fail(SessionError.SessionMalformed, $"The header is longer than {KiraSessionHeader.MaxLength} bytes.");
        }

        if (_cache.TryGet(cacheKey, out CachedHeader? entry))
        {
            _metrics.Lookup(hit: true);
        }
        else
        {
            _metrics.Lookup(hit: false);
            using (Activity? activity = SessionGateActivitySource.Start(SessionGateActivitySource.VerifySpan))
            {
                entry = await ParseAndCheckSignatureAsync(headerValue, cancellationToken).ConfigureAwait(false);
                activity?.SetTag(SessionGateActivitySource.VerifyResultAttribute, entry.Rejection is { } refused ? SessionErrors.Describe(refused.Error).Code : "valid");
            }

            _cache.Set(cacheKey, entry, entry.Rejection is null ? _options.Window + _options.ClockSkew : _options.RejectedHeaderTtl);
        }

        if (entry.Rejection is { } rejection)
        {
            return rejection;
        }

        VerifiedSession? session = entry.Session;
        if (session is null)
        {
            (SessionVerdict? failure, session) = await ResolveBlockAsync(entry.Header!, cancellationToken).ConfigureAwait(false);
            if (failure is { } blockFailure)
            {
                if (blockFailure.Error == SessionError.BlockExpired)
                {
                    _cache.Set(cacheKey, CachedHeader.Rejected(blockFailure), _options.RejectedHeaderTtl);
                }

                return blockFailure;
            }

            _cache.Set(cacheKey, CachedHeader.Verified(session!), session!.ValidUntil - _timeProvider.GetUtcNow());
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (now > session.ValidUntil)
        {
            return SessionVerdict.Fail(SessionError.BlockExpired, BlockExpiredDetail);
        }

        return await CheckKeyAsync(session, now, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _metrics.Dispose();

    private string BlockExpiredDetail => $"The header's block is older than {_options.Window.TotalSeconds:0} seconds; sign a newer block.";

    private async ValueTask<CachedHeader> ParseAndCheckSignatureAsync(string headerValue, CancellationToken cancellationToken)
    {
        if (!KiraSessionHeader.TryParse(headerValue, _options.AddressPrefix, out KiraSessionHeader? header, out string? error))
        {
            return CachedHeader.Rejected(SessionVerdict.Fail(SessionError.SessionMalformed, error));
        }

        if (!await _signatures.VerifyHeaderAsync(header!, _signingContext, cancellationToken).ConfigureAwait(false))
        {
            return CachedHeader.Rejected(SessionVerdict.Fail(SessionError.SignatureInvalid, "The signature does not verify for pubkey over the signed message."));
        }

        return CachedHeader.Pending(header!);
    }

    private async ValueTask<(SessionVerdict? Failure, VerifiedSession? Session)> ResolveBlockAsync(KiraSessionHeader header, CancellationToken cancellationToken)
    {
        BlockLookup lookup = await _blockFeed.FindAsync(header.BlockHash, cancellationToken).ConfigureAwait(false);
        switch (lookup.Status)
        {
            case BlockLookupStatus.Unknown:
                return (SessionVerdict.Fail(SessionError.BlockUnknown, "The gateway does not know block_hash; use a recent block of the chain."), null);
            case BlockLookupStatus.Unavailable:
                return (SessionVerdict.Fail(SessionError.ChainUnavailable, "The chain cannot be reached to confirm block_hash."), null);
        }

        BlockInfo block = lookup.Block!;
        DateTimeOffset validUntil = block.Time + _options.Window + _options.ClockSkew;
        if (_timeProvider.GetUtcNow() > validUntil)
        {
            return (SessionVerdict.Fail(SessionError.BlockExpired, BlockExpiredDetail), null);
        }

        return (null, new VerifiedSession(header.NormalizedAccount, header.PublicKey, block.Height, block.Time, validUntil));
    }

    private async ValueTask<SessionVerdict> CheckKeyAsync(VerifiedSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SignerKeyRecord? key;
        try
        {
            key = await _directory.FindAsync(session.PublicKey, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            return SessionVerdict.Fail(SessionError.StoreUnavailable, "The key directory cannot be reached.");
        }

        if (key is null)
        {
            return SessionVerdict.Fail(SessionError.KeyUnknown, "pubkey is not a registered session key.");
        }

        if (!string.Equals(key.Account, session.Account, StringComparison.Ordinal))
        {
            return SessionVerdict.Fail(SessionError.KeyAccountMismatch, "pubkey is registered to a different account.");
        }

        if (key.Disabled)
        {
            return SessionVerdict.Fail(SessionError.KeyDisabled, "The session key was disabled; create a new one.");
        }

        if (now >= key.Expires)
        {
            return SessionVerdict.Fail(SessionError.KeyExpired, "The session key has expired; create a new one.");
        }

        return SessionVerdict.Valid(session, key);
    }

    private sealed class CachedHeader
    {
        private CachedHeader(SessionVerdict? rejection, KiraSessionHeader? header, VerifiedSession? session)
        {
            Rejection = rejection;
            Header = header;
            Session = session;
        }

        public SessionVerdict? Rejection { get; }

        public KiraSessionHeader? Header { get; }

        public VerifiedSession? Session { get; }

        public static CachedHeader Rejected(SessionVerdict verdict) => new(verdict, null, null);

        public static CachedHeader Pending(KiraSessionHeader header) => new(null, header, null);

        public static CachedHeader Verified(VerifiedSession session) => new(null, null, session);
    }
}
