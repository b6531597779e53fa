namespace SessionGate.Storage;

/// <summary>
/// A store (key directory, block store, blocked clients, overrides, quotas) cannot answer right now:
/// its backend timed out or is unreachable. Callers degrade as documented, never with a 500; the
/// verifier answers <c>503 store_unavailable</c>. Implementations of the store interfaces throw it
/// (or a subclass, such as <see cref="Redis.RedisUnavailableException"/>) so callers need not know
/// which backend is behind the interface.
/// </summary>
public class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
