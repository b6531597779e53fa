using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGate.Configuration;

namespace SessionGate.Proxy.Gateway.Hosting;

/// <summary>
/// Kestrel decodes request header values as UTF-8 and refuses a request whose header bytes are not
/// valid UTF-8 with a bare <c>400</c> (no problem body, no <c>code</c>) before any middleware runs, so
/// a client that sends such a session header would get an undocumented answer and escape the
/// failure count of IP blocking (found by the fault suite's header fuzzer, tests/…/Faults). The
/// session headers are decoded as Latin-1 instead: every byte sequence decodes, SessionGate's parser
/// (which accepts ASCII only) sees it and answers the documented <c>400 session_malformed</c>. Other
/// headers keep Kestrel's default.
/// </summary>
internal static class SessionHeaderDecoding
{
    public static void AddSessionHeaderDecoding(this IServiceCollection services) =>
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<SessionGateOptions>>((kestrel, sessionGate) =>
        {
            string name = sessionGate.Value.HeaderName;
            string alternate = name.Replace('_', '-');   // the same alternate name the middleware accepts
            kestrel.RequestHeaderEncodingSelector = header =>
                string.Equals(header, name, StringComparison.OrdinalIgnoreCase) || string.Equals(header, alternate, StringComparison.OrdinalIgnoreCase)
                    ? Encoding.Latin1
                    : null;
        });
}
