namespace SessionGate.AspNetCore.Authentication;

/// <summary>Settings the middleware needs on every request, resolved once from the options.</summary>
internal sealed record SessionGateRuntimeSettings(string HeaderName, string? AlternateHeaderName, string PathPrefix)
{
    /// <summary>Derives the alternate header name: the configured one with '_' replaced by '-'.</summary>
    public static SessionGateRuntimeSettings Create(string headerName, string pathPrefix)
    {
        string alternate = headerName.Replace('_', '-');
        return new SessionGateRuntimeSettings(headerName, alternate == headerName ? null : alternate, pathPrefix.TrimEnd('/'));
    }
}
