using System.Text;

namespace SessionGate.Proxy.Requests;

/// <summary>
/// Prints an answer the way <c>sessiongate request</c> shows it: the status line, the rate-limit
/// headers when present (<c>RateLimit</c>, <c>RateLimit-Policy</c>, <c>Retry-After</c>), a blank
/// line and the body.
/// </summary>
internal static class ResponsePrinter
{
    private static readonly string[] ShownHeaders = ["RateLimit", "RateLimit-Policy", "Retry-After"];

    public static async Task WriteAsync(HttpResponseMessage response, TextWriter output, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("HTTP/").Append(response.Version.ToString(2)).Append(' ').Append((int)response.StatusCode);
        if (!string.IsNullOrEmpty(response.ReasonPhrase))
        {
            text.Append(' ').Append(response.ReasonPhrase);
        }

        text.Append('\n');
        foreach (string name in ShownHeaders)
        {
            if (response.Headers.TryGetValues(name, out IEnumerable<string>? values) || response.Content.Headers.TryGetValues(name, out values))
            {
                text.Append(name).Append(": ").Append(string.Join(", ", values)).Append('\n');
            }
        }

        text.Append('\n');
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        text.Append(body);
        if (body.Length > 0 && !body.EndsWith('\n'))
        {
            text.Append('\n');
        }

        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
    }
}
