// The verification pipeline of DESIGN §3. A header value is read into its canonical content, which is
// hashed (SHA-256) and looked up in a bounded verdict cache (KIP_9.1 session records), so a re-spelled
// header finds the verdict of the original. Each cache entry is in one of three states:
//   rejected   – malformed, bad signature, or expired block: refused without further work;
//   pending    – signature verified, block not yet known: only the block lookup is retried;
//   verified   – signature and block verified: only the window and the key directory are checked.
// So a reused header costs one allocation-free parse, one hash, one cache lookup and one local directory
// lookup. A miss is charged to the client's verification budget before any signature work.
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
using SessionGate.Verification.Budget;
using SessionGate.Verification.Difficulty;
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
    private readonly BoundedCache<Bytes32, Bytes32> _spellings;
    private readonly BoundedCache<string, Bytes32> _reusedHeaders;

    // Misses being checked right now, by canonical key (at most one entry per request in flight).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Bytes32, Task<CachedHeader?>> _inFlight = new();
    private readonly VerificationMetrics _metrics;
    private readonly ISignatureVerifier _signatures;
    private readonly IVerificationBudget? _budget;
    private readonly DifficultyGate? _difficulty;

    // signatureVerifier checks first-seen signatures; without one the verifier batches through its own SignatureBatcher.
    // budget limits first-seen signature checks per client; without one (tools, tests) nothing is charged.
    // difficulty: the nonce challenge (Verification/Difficulty), null or Off for none.
    public SessionVerifier(IBlockFeed blockFeed, ISignerKeyDirectory directory, TimeProvider timeProvider, SessionVerifierOptions options, IMeterFactory? meterFactory = null, ISignatureVerifier? signatureVerifier = null, IVerificationBudget? budget = null, DifficultyGate? difficulty = null)
    {
        _budget = budget;
        _difficulty = difficulty is { Enabled: true } ? difficulty : null;
        _signatures = signatureVerifier ?? new SignatureBatcher();
        _blockFeed = blockFeed;
        _directory = directory;
        _timeProvider = timeProvider;
        _options = options;
        _signingContext = Encoding.UTF8.GetBytes(options.SigningContext);
        _cache = new BoundedCache<Bytes32, CachedHeader>(options.VerdictCacheCapacity, timeProvider);
        _spellings = new BoundedCache<Bytes32, Bytes32>(options.VerdictCacheCapacity, timeProvider);
        _reusedHeaders = new BoundedCache<string, Bytes32>(Math.Clamp(options.VerdictCacheCapacity, 2, ReusedHeaderCapacity), timeProvider);
        _metrics = new VerificationMetrics(meterFactory, () => _cache.Count);
    }

    /// <summary>Header strings in the reused-header memo (for the memory-bound tests).</summary>
    internal int ReusedHeaders => _reusedHeaders.Count;

    /// <summary>Entries in the verdict cache (for metrics and the memory-bound tests).</summary>
    public int CachedVerdicts => _cache.Count;

    /// <inheritdoc />
    public ValueTask<SessionVerdict> VerifyAsync(string headerValue, CancellationToken cancellationToken = default) =>
        VerifyAsync(headerValue, client: null, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<SessionVerdict> VerifyAsync(string headerValue, string? client, CancellationToken cancellationToken = default)
    {
        // A malformed header is refused by this parse alone and never cached: it costs no more than a
        // cache lookup would, and junk cannot evict anyone's verdict.
        if (!TryReadCacheKey(headerValue, out Bytes32 cacheKey, out string? malformed))
        {
            return SessionVerdict.Fail(SessionError.SessionMalformed, malformed);
        }

        if (_cache.TryGet(cacheKey, out CachedHeader? entry) && !entry.IsSignatureRejectionOfAnotherSpelling(headerValue, _options.AddressPrefix))
        {
            _metrics.Lookup(hit: true);
            return await DecideAsync(cacheKey, entry, cancellationToken).ConfigureAwait(false);
        }

        (CachedHeader? checkedEntry, bool firstSeen, SessionVerdict refusal) = await CheckFirstSeenAsync(cacheKey, headerValue, client, cancellationToken).ConfigureAwait(false);
        if (checkedEntry is null)
        {
            return refusal;
        }

        SessionVerdict verdict = await DecideAsync(cacheKey, checkedEntry, cancellationToken).ConfigureAwait(false);
        return firstSeen ? verdict.AsFirstSeen() : verdict;
    }

    // A miss. Concurrent misses of one content share one check (single flight): the first caller
    // is charged and verifies, the others wait for its entry and are not charged. A waiter tries for
    // itself when the first caller was refused by its budget or checked another spelling that failed.
    private async ValueTask<(CachedHeader? Entry, bool FirstSeen, SessionVerdict Refusal)> CheckFirstSeenAsync(Bytes32 cacheKey, string headerValue, string? client, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<CachedHeader?>(TaskCreationOptions.RunContinuationsAsynchronously);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            Task<CachedHeader?> running = _inFlight.GetOrAdd(cacheKey, mine.Task);
            if (running == mine.Task)
            {
                break;
            }

            CachedHeader? joined = await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (joined is not null && !joined.IsSignatureRejectionOfAnotherSpelling(headerValue, _options.AddressPrefix))
            {
                _metrics.Lookup(hit: true);   // answered by another request's check: no work of its own
                return (joined, false, default);
            }
        }

        _metrics.Lookup(hit: false);
        try
        {
            // Admit the first-seen verification. Everything before this point is cheap (one parse,
            // hashes, lookups); everything after is signature work (~100 µs per check), so this is
            // where a client's verification budget is charged, and where any other admission control
            // of first-seen headers belongs.
            if (client is not null && _budget is not null && !_budget.TryCharge(client, out TimeSpan retryAfter))
            {
                mine.TrySetResult(null);
                return (null, true, SessionVerdict.Fail(SessionError.VerificationBudgetExceeded, "This address sent too many new session headers this minute; reuse a header or try again later.", retryAfter).AsFirstSeen());
            }

            CachedHeader entry;
            using (Activity? activity = SessionGateActivitySource.Start(SessionGateActivitySource.VerifySpan))
            {
                entry = await ParseAndCheckSignatureAsync(headerValue, cancellationToken).ConfigureAwait(false);
                activity?.SetTag(SessionGateActivitySource.VerifyResultAttribute, entry.Rejection is { } refused ? SessionErrors.Describe(refused.Error).Code : "valid");
            }

            if (entry.Transient)
            {
                // difficulty_required: refused with one hash, before signature work; not cached (the
                // header may pass once d falls), not counted towards blocking (it cost no signature
                // work, and an honest client meets it once per rise of d); waiters try for themselves.
                mine.TrySetResult(null);
                return (null, true, entry.Rejection!.Value);
            }

            _metrics.SignatureCheck();
            _cache.Set(cacheKey, entry, entry.Rejection is null ? _options.Window + _options.ClockSkew : _options.RejectedHeaderTtl);
            mine.TrySetResult(entry);
            return (entry, true, default);
        }
        catch
        {
            mine.TrySetResult(null);   // waiters try for themselves
            throw;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<Bytes32, Task<CachedHeader?>>(cacheKey, mine.Task));
        }
    }

    private async ValueTask<SessionVerdict> DecideAsync(Bytes32 cacheKey, CachedHeader entry, CancellationToken cancellationToken)
    {
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

        // Difficulty challenge: one SHA-256 before any signature work (docs/protocol.md).
        if (_difficulty is not null && !_difficulty.TryAdmit(header!, out int required))
        {
            return CachedHeader.Refused(DifficultyGate.Refusal(required));
        }

        if (!await _signatures.VerifyHeaderAsync(header!, _signingContext, cancellationToken).ConfigureAwait(false))
        {
            return CachedHeader.SignatureRejected(SessionVerdict.Fail(SessionError.SignatureInvalid, "The signature does not verify for pubkey over the signed message."), header!);
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
        private CachedHeader(SessionVerdict? rejection, KiraSessionHeader? header, VerifiedSession? session, bool transient = false, KiraSessionHeader? failedSpelling = null)
        {
            Rejection = rejection;
            Header = header;
            Session = session;
            Transient = transient;
            _failedSpelling = failedSpelling;
        }

        /// <summary>A refusal that depends on the moment (the difficulty), never cached.</summary>
        public bool Transient { get; }

        // The header whose signature failed. The signed message contains the account and block hash
        // as sent, so another spelling of the same content is another message: a verified entry
        // accepts every spelling (the key holder signed this content), but a failed one must not
        // refuse a spelling that was never checked, or anyone who saw a header could poison its
        // entry by sending it first with, say, the block hash in lower case.
        private readonly KiraSessionHeader? _failedSpelling;

        public SessionVerdict? Rejection { get; }

        public KiraSessionHeader? Header { get; }

        public VerifiedSession? Session { get; }

        public static CachedHeader Rejected(SessionVerdict verdict) => new(verdict, null, null);

        public static CachedHeader Refused(SessionVerdict verdict) => new(verdict, null, null, transient: true);

        public static CachedHeader SignatureRejected(SessionVerdict verdict, KiraSessionHeader header) => new(verdict, null, null, failedSpelling: header);

        /// <summary>True when this is a failed signature and <paramref name="headerValue"/> spells the signed message differently.</summary>
        public bool IsSignatureRejectionOfAnotherSpelling(string headerValue, string addressPrefix)
        {
            if (_failedSpelling is not { } failed)
            {
                return false;
            }

            // Rare (a re-sent bad signature), so the full parse's allocations do not matter here.
            return !KiraSessionHeader.TryParse(headerValue, addressPrefix, out KiraSessionHeader? header, out _)
                || !string.Equals(header!.Account, failed.Account, StringComparison.Ordinal)
                || !string.Equals(header.BlockHashText, failed.BlockHashText, StringComparison.Ordinal);
        }

        public static CachedHeader Pending(KiraSessionHeader header) => new(null, header, null);

        public static CachedHeader Verified(VerifiedSession session) => new(null, null, session);
    }
}
