using System.Globalization;
using StackExchange.Redis;

namespace SessionGate.Verification.Blocking;

// The background worker: block and unblock messages from every instance keep the local cache current.
internal sealed partial class RedisClientBlocker
{
    /// <summary>Listens to block and unblock messages until <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        bool failing = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!_subscription.IsActive)
                {
                    bool subscribed = await _subscription.EnsureAsync(stoppingToken).ConfigureAwait(false);
                    if (!subscribed && !failing)
                    {
                        Log.SubscribeFailed(_logger, _layout.Channel.ToString());
                    }

                    failing = !subscribed;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), _timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await _subscription.StopAsync().ConfigureAwait(false);
        }
    }

    // "B|<ms>|<client>" blocks, "U|0|<client>" unblocks; the client is last, so it may hold '|'.
    private void OnMessage(RedisValue message)
    {
        string[]? parts = ((string?)message)?.Split('|', 3);
        if (parts is not [var kind, var ms, var client] || client.Length == 0
            || !long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out long remainingMs))
        {
            Log.BlockMessageMalformed(_logger);
            return;
        }

        if (kind == "B" && remainingMs > 0)
        {
            RememberBlock(client, TimeSpan.FromMilliseconds(remainingMs));
        }
        else if (kind == "U")
        {
            _blockEnds.Remove(client);
            _fallback.Reset(client);
        }
        else
        {
            Log.BlockMessageMalformed(_logger);
        }
    }
}
