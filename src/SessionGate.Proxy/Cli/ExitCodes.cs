namespace SessionGate.Proxy.Cli;

/// <summary>The process exit codes every <c>sessiongate</c> command shares.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A verification failed (a signature or header did not verify).</summary>
    public const int VerificationFailed = 1;

    /// <summary><c>request</c>: the server answered with a status other than 2xx.</summary>
    public const int RequestFailed = 1;

    /// <summary>
    /// Bad usage: unknown command or option, missing or malformed argument, unreadable file; also a
    /// gateway that cannot be reached or a configuration the gateway refuses to start with.
    /// </summary>
    public const int Usage = 2;
}
