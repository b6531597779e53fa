namespace SessionGate.Client;

/// <summary>
/// No valid <c>kira_session</c> header could be made: the gateway's latest block could not be read
/// and no recent enough header was at hand. An <see cref="HttpRequestException"/>, so code that
/// already handles network failures handles this too.
/// </summary>
public sealed class KiraSessionException : HttpRequestException
{
    /// <summary>Creates the exception.</summary>
    public KiraSessionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
