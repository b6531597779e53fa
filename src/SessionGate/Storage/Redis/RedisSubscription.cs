using StackExchange.Redis;

namespace SessionGate.Storage.Redis;

/// <summary>
/// One pub/sub subscription that a background worker keeps in place. StackExchange.Redis can keep a
/// handler registered locally even when no server took the SUBSCRIBE (Redis down at start; seen with 1.2.6) and then
/// may never send it; so the worker calls <see cref="EnsureAsync"/> on every tick, which removes such a
/// half-made registration and subscribes again, never stacking handlers. Once a server owns the
/// subscription the library re-sends it after reconnects by itself. Messages published while the
/// subscription is down are lost: callers need their own backstop (the directory polls a counter).
/// </summary>
/// <remarks>Used by the key directory, the tier-override store and the client blocker.</remarks>
internal sealed class RedisSubscription
{
    private readonly RedisConnection _connection;
    private readonly RedisChannel _channel;
    private readonly Action<RedisChannel, RedisValue> _handler;
    private volatile bool _acknowledged;
    private int _failing;

    public RedisSubscription(RedisConnection connection, RedisChannel channel, Action<RedisValue> onMessage)
    {
        _connection = connection;
        _channel = channel;
        _handler = (_, message) => onMessage(message);
    }

    /// <summary>True while a server owns the subscription and acknowledged it.</summary>
    public bool IsActive => _acknowledged && _connection.Subscriber.SubscribedEndpoint(_channel) is not null;

    /// <summary>Subscribes unless already active. Returns false (never throws) when Redis cannot be reached.</summary>
    public async Task<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        if (IsActive)
        {
            return true;
        }

        _acknowledged = false;
        ISubscriber subscriber = _connection.Subscriber;
        try
        {
            // Removal of the local handler is synchronous; fire-and-forget so a dead server cannot block it.
            await subscriber.UnsubscribeAsync(_channel, _handler, CommandFlags.FireAndForget).ConfigureAwait(false);
            await subscriber.SubscribeAsync(_channel, _handler).WaitAsync(_connection.Options.OperationTimeout, cancellationToken).ConfigureAwait(false);
            _acknowledged = true;
            return IsActive;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// The loop of a store that follows changes made by other instances: keep the subscription in
    /// place (when <paramref name="subscribe"/>), run <paramref name="poll"/> (the backstop for lost
    /// messages), wait <paramref name="interval"/>, until <paramref name="stoppingToken"/> is cancelled;
    /// then unsubscribe. <paramref name="onSubscribeFailed"/> runs once per streak of failed attempts.
    /// </summary>
    public async Task FollowAsync(bool subscribe, TimeSpan interval, TimeProvider timeProvider, Func<CancellationToken, Task> poll, Action onSubscribeFailed, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Subscribe before polling, so no change falls between a load and the subscription.
                if (subscribe && !IsActive)
                {
                    bool subscribed = await EnsureAsync(stoppingToken).ConfigureAwait(false);
                    if (!subscribed && Interlocked.Exchange(ref _failing, 1) == 0)
                    {
                        onSubscribeFailed();
                    }
                    else if (subscribed)
                    {
                        Interlocked.Exchange(ref _failing, 0);
                    }
                }

                await poll(stoppingToken).ConfigureAwait(false);
                await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops receiving messages (best effort: a dead connection drops the subscription anyway).</summary>
    public async Task StopAsync()
    {
        _acknowledged = false;
        try
        {
            await _connection.Subscriber.UnsubscribeAsync(_channel, _handler).WaitAsync(_connection.Options.OperationTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Nothing to undo: the handler is removed locally before anything is sent.
        }
    }
}
