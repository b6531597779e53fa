namespace SessionGate.Proxy.Cli;

/// <summary>The process exit codes every <c>sessiongate</c> command shares.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A verification failed (a signature or header did not verify).</summary>
    public const int VerificationFailed = 1;

    /// <summary>Bad usage: unknown command or option, missing or malformed argument, unreadable file.</summary>
    public const int Usage = 2;
}
