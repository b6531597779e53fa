using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using SessionGate.RateLimiting.Quotas;
using SessionGate.Storage.Redis;
using StackExchange.Redis;

namespace SessionGate.RateLimiting.Redis;

/// <summary>
/// One quota per partition across every gateway instance: each decision is (part of) one EVALSHA of
/// <see cref="QuotaScript"/> (one round trip, Redis's clock; concurrent decisions share a call, see
/// <see cref="QuotaBatcher"/>). Asynchronous end to end; no call waits
/// longer than the connection's operation timeout. When Redis fails, a <see cref="CircuitBreaker"/>
/// keeps requests off it for <see cref="RateLimitingOptions.RedisRetryInterval"/> and the configured
/// <see cref="RedisFailureMode"/> decides (see <c>RedisQuotaLimiter.Fallback.cs</c>); one probe per
/// interval finds out when Redis is back. Every switch is logged (4000/4001) and counted.
/// Acquisitions are counted in <c>sessiongate.ratelimit.decisions</c>; peeks (admin, dashboard) are not.
/// </summary>
/// <remarks>
/// A command that timed out on our side may still run on Redis later (a Redis that stalled and
/// resumes): its cost is then taken from the shared bucket although the fallback decided the request.
/// That errs on the strict side, never admitting more than the quota.
/// </remarks>
internal sealed partial class RedisQuotaLimiter : IQuotaLimiter, IDisposable
{
    private readonly IQuotaStore _store;
    private readonly RateLimitingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly QuotaMetrics _metrics;
    private readonly CircuitBreaker _breaker;
    private readonly InMemoryQuotaLimiter _local;
    private readonly int _instances;
    private readonly PermitLeases _leases;

    /// <summary>Creates the limiter on <paramref name="connection"/>.</summary>
    public RedisQuotaLimiter(RedisConnection connection, RateLimitingOptions options, TimeProvider timeProvider, ILogger<RedisQuotaLimiter> logger, IMeterFactory? meterFactory = null)
        : this(new RedisQuotaStore(connection ?? throw new ArgumentNullException(nameof(connection)), logger ?? throw new ArgumentNullException(nameof(logger)), options?.Anonymous), options!, timeProvider, logger, meterFactory)
    {
    }

    /// <summary>Creates the limiter on any store (tests use a fake one).</summary>
    internal RedisQuotaLimiter(IQuotaStore store, RateLimitingOptions options, TimeProvider timeProvider, ILogger logger, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = new QuotaMetrics(meterFactory);
        _breaker = new CircuitBreaker(options.RedisRetryInterval, timeProvider);
        _local = new InMemoryQuotaLimiter(options.MaxLocalPartitions, timeProvider, metrics: null);
        _instances = Math.Max(1, options.InstanceCount);
        _leases = new PermitLeases(options.Leases ?? new LeaseOptions(), _instances, options.MaxLocalPartitions, timeProvider);
    }

    /// <summary>True while decisions are made without Redis.</summary>
    internal bool IsDegraded => _breaker.IsOpen;

    /// <summary>The meter this limiter counts on.</summary>
    internal Meter Meter => _metrics.Meter;

    /// <summary>The local fallback limiter (for tests: its memory bound).</summary>
    internal InMemoryQuotaLimiter Local => _local;

    /// <summary>The leased blocks this instance holds (tests).</summary>
    internal PermitLeases Leases => _leases;

    /// <inheritdoc />
    public async ValueTask<QuotaDecision> AcquireAsync(string partition, QuotaPolicy policy, int cost, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        ArgumentNullException.ThrowIfNull(policy);
        string key = PartitionKey.Normalize(partition);
        if (!TryDecideHeld(key, policy, cost, repeatRefusal: true, out QuotaDecision decision))
        {
            decision = await AcquireSharedAsync(key, policy, cost, cancellationToken).ConfigureAwait(false);
            if (!decision.Allowed && decision.Rejection is QuotaRejection.RateLimited or QuotaRejection.QuotaExhausted)
            {
                // Refused by the shared bucket while this instance holds a block leased meanwhile (by a
                // concurrent request): those units were taken from the bucket already, so spend them
                // rather than let them lapse. (A refusal by the failure mode is not such a case.)
                if (TryDecideHeld(key, policy, cost, repeatRefusal: false, out QuotaDecision held))
                {
                    decision = held;
                }
                else if (LeasingUsable)
                {
                    // An account over its limit keeps asking: repeat the refusal here rather than send
                    // every retry to Redis.
                    _leases.RememberRefusal(key, policy, GcraLimits.From(policy), cost, decision);
                }
            }
        }

        _metrics.Decision(decision);
        return decision;
    }

    /// <inheritdoc />
    /// <remarks>
    /// True, while Redis is not known to be failing (see <see cref="LeasingUsable"/>), when this
    /// instance holds a block leased for <paramref name="partition"/> under <paramref name="policy"/>
    /// with at least <paramref name="cost"/> units, not expired (an admission), or remembers a refusal
    /// of it by the shared bucket that still holds for this cost (<see cref="PermitLeases.TryDecide"/>).
    /// </remarks>
    public bool TryAcquireLocally(string partition, QuotaPolicy policy, int cost, out QuotaDecision decision)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        ArgumentNullException.ThrowIfNull(policy);
        if (!TryDecideHeld(PartitionKey.Normalize(partition), policy, cost, repeatRefusal: true, out decision))
        {
            return false;
        }

        _metrics.Decision(decision);
        return true;
    }

    /// <inheritdoc />
    public ValueTask<QuotaDecision> PeekAsync(string partition, QuotaPolicy policy, CancellationToken cancellationToken = default) =>
        DecideAsync(PartitionKey.Normalize(partition), policy, 1, commit: false, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _metrics.Dispose();
        _local.Dispose();
    }

    // Whether held blocks may be spent and new ones leased: not once a call to Redis has failed (the
    // breaker is open) nor while the connection is known to be down. Then every decision goes the way
    // it would without leasing — to Redis, so the breaker opens, and to the failure mode (FailClosed
    // refuses even an account that holds a block). Held blocks are kept: spending them after Redis is
    // back admits nothing extra (their units left the shared bucket before the outage), and they
    // expire on their own.
    private bool LeasingUsable => !_breaker.IsOpen && _store.IsConnected;

    // A decision without Redis: spent from a held block or, with repeatRefusal, a remembered refusal repeated.
    private bool TryDecideHeld(string key, QuotaPolicy policy, long cost, bool repeatRefusal, out QuotaDecision decision)
    {
        if (!LeasingUsable)
        {
            decision = default;
            return false;
        }

        return _leases.TryDecide(key, policy, cost, repeatRefusal, out decision);
    }

    // A decision the local block could not make: with leasing, one script call gives the old block's
    // unspent units back, decides the cost exactly as without leasing and leases a new block; only one
    // request per partition refills at a time, the others meanwhile decide alone (exactly as before).
    // While leasing is not usable nothing is refilled (a held block is kept for when Redis is back) and
    // the decision, or the breaker's probe, is a plain one.
    private async ValueTask<QuotaDecision> AcquireSharedAsync(string key, QuotaPolicy policy, long cost, CancellationToken cancellationToken)
    {
        GcraLimits limits = GcraLimits.From(policy);
        long block = _leases.BlockFor(key, policy, limits);
        if (block == 0 || !LeasingUsable || !_leases.TryBeginRefill(key, policy, out LeaseReturn giveBack, out object? refill))
        {
            return await DecideAsync(key, policy, cost, commit: true, cancellationToken).ConfigureAwait(false);
        }

        bool installed = false;
        try
        {
            BreakerTicket ticket = _breaker.TryEnter();
            if (ticket == BreakerTicket.Refused)
            {
                // The old block's units lapse (under-admission only).
                return Fallback(key, policy, cost, commit: true);
            }

            LeaseVerdict lease;
            try
            {
                lease = await _store.LeaseAsync(key, limits, cost, block, giveBack, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _breaker.OnAbandoned(ticket);
                throw;
            }
            catch (Exception e) when (e is RedisUnavailableException or RedisException or OperationCanceledException)
            {
                OnFailure(ticket, e);
                return Fallback(key, policy, cost, commit: true);
            }

            OnSuccess(ticket);
            _leases.Install(refill!, policy, limits, lease);
            installed = true;
            if (lease.Granted > 0)
            {
                Log.BlockLeased(_logger, lease.Granted, giveBack.Units);
            }

            // Report the shared bucket as if the block were still in it: it is this instance's.
            QuotaVerdict verdict = lease.Verdict;
            return (verdict with
            {
                Remaining = verdict.Remaining + lease.Granted,
                ResetMicros = verdict.ResetMicros - (lease.Granted * limits.EmissionInterval),
                DailyRemaining = verdict.DailyRemaining >= 0 ? verdict.DailyRemaining + lease.Granted : -1,
            }).ToDecision();
        }
        finally
        {
            if (!installed)
            {
                _leases.Abandon(refill!);
            }
        }
    }

    private void OnSuccess(BreakerTicket ticket)
    {
        if (_breaker.OnSuccess(ticket) is { } downFor)
        {
            Log.SwitchedToRedis(_logger, downFor, _options.RedisFailureMode);
            _metrics.Switch(toFallback: false);
        }
    }

    private async ValueTask<QuotaDecision> DecideAsync(string key, QuotaPolicy policy, long cost, bool commit, CancellationToken cancellationToken)
    {
        GcraLimits limits = GcraLimits.From(policy);
        BreakerTicket ticket = _breaker.TryEnter();
        if (ticket == BreakerTicket.Refused)
        {
            return Fallback(key, policy, cost, commit);
        }

        QuotaVerdict verdict;
        try
        {
            verdict = await _store.DecideAsync(key, limits, cost, commit, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up (request aborted): says nothing about Redis.
            _breaker.OnAbandoned(ticket);
            throw;
        }
        catch (Exception e) when (e is RedisUnavailableException or RedisException or OperationCanceledException)
        {
            // A cancellation nobody asked for comes from the client library giving up: Redis trouble.
            OnFailure(ticket, e);
            return Fallback(key, policy, cost, commit);
        }

        OnSuccess(ticket);
        return verdict.ToDecision();
    }

    private void OnFailure(BreakerTicket ticket, Exception exception)
    {
        _metrics.RedisFailure();
        switch (_breaker.OnFailure(ticket))
        {
            case BreakerTransition.Opened:
                Log.SwitchedToFallback(_logger, exception.Message, _options.RedisFailureMode, _options.RedisRetryInterval);
                _metrics.Switch(toFallback: true);
                break;
            case BreakerTransition.ProbeFailed:
                Log.ProbeFailed(_logger, exception.Message, _options.RedisRetryInterval);
                break;
        }
    }
}
