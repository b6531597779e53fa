using SessionGate.Protocol;

namespace SessionGate.Client;

public sealed partial class KiraSessionHandler
{
    /// <summary>
    /// The header to send: the current one while younger than RefreshInterval; otherwise a fresh one.
    /// Only one caller fetches a block at a time; while it does, the others keep using the current
    /// header if it is younger than MaxHeaderAge, and wait for the fetch if not.
    /// </summary>
    private async ValueTask<SignedHeader> GetHeaderAsync(CancellationToken cancellationToken)
    {
        SignedHeader? current = Volatile.Read(ref _current);
        if (current is not null && Age(current) < _options.RefreshInterval)
        {
            return current;
        }

        if (current is not null && Age(current) < _options.MaxHeaderAge)
        {
            if (!_refreshGate.Wait(0))
            {
                return current;
            }

            try
            {
                return await RefreshLockedAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (KiraSessionException)
            {
                // The gateway is briefly unreachable: the current header is still good.
                return current;
            }
            finally
            {
                _refreshGate.Release();
            }
        }

        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RefreshLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private async Task<SignedHeader> RefreshLockedAsync(CancellationToken cancellationToken)
    {
        // Another caller may have refreshed while this one waited for the gate.
        if (Volatile.Read(ref _current) is { } fresh && Age(fresh) < _options.RefreshInterval)
        {
            return fresh;
        }

        LatestBlock.Answer block = await LatestBlock.FetchAsync(base.SendAsync, _blockUri, cancellationToken).ConfigureAwait(false);
        ulong nonce = await SolveNonceAsync(block, cancellationToken).ConfigureAwait(false);
        var header = new SignedHeader(
            KiraSessionHeader.Create(_keyPair, _account, block.Hash, nonce, _options.SigningContext),
            _options.TimeProvider.GetTimestamp());
        Volatile.Write(ref _current, header);
        return header;
    }

    private TimeSpan Age(SignedHeader header) => _options.TimeProvider.GetElapsedTime(header.CreatedAt);
}
