using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;

using SessionGate.Hosting;
using SessionGate.AspNetCore.Hosting;

namespace SessionGate.AspNetCore.Hosting;

/// <summary>
/// Kestrel decodes request header values as UTF-8 and refuses a request whose header bytes are not
/// valid UTF-8 with a bare <c>400</c> (no problem body, no <c>code</c>) before any middleware runs, so
/// a client that sends such a session header would get an undocumented answer and escape the
/// failure count of IP blocking (found by the fault suite's header fuzzer, tests/…/Faults). The
/// session headers are decoded as Latin-1 instead: every byte sequence decodes, SessionGate's parser
/// (which accepts ASCII only) sees it and answers the documented <c>400 session_malformed</c>. Other
/// headers keep whatever the application chose (its own selector, or Kestrel's default).
/// </summary>
internal static class SessionHeaderDecoding
{
    /// <summary>Registered by <c>AddSessionGate</c>, so every host that runs on Kestrel gets it.</summary>
    public static void AddSessionHeaderDecoding(this IServiceCollection services) =>
        // PostConfigure: runs after the application's own Configure calls, and wraps their selector.
        services.AddOptions<KestrelServerOptions>().PostConfigure<IOptions<SessionGateOptions>>((kestrel, sessionGate) =>
        {
            Func<string, Encoding?> previous = kestrel.RequestHeaderEncodingSelector;

            // Read the header name on the first request, not here: Kestrel's options are built while the
            // host is built, before invalid SessionGate settings are reported (all at once); reading
            // them here would throw the first problem alone instead.
            (string Name, string Alternate)? names = null;
            kestrel.RequestHeaderEncodingSelector = header =>
            {
                (string name, string alternate) = names ??= Names(sessionGate.Value.HeaderName);
                return string.Equals(header, name, StringComparison.OrdinalIgnoreCase) || string.Equals(header, alternate, StringComparison.OrdinalIgnoreCase)
                    ? Encoding.Latin1
                    : previous(header);
            };
        });

    // The same alternate name the middleware accepts ('_' written as '-').
    private static (string Name, string Alternate) Names(string headerName) => (headerName, headerName.Replace('_', '-'));
}
