using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using SessionGate.Protocol;
using SessionGate.Proxy.Cli;

namespace SessionGate.Proxy.Requests;

/// <summary>The validated arguments of <c>sessiongate request</c>; every mistake is a <see cref="UsageException"/>.</summary>
internal sealed record RequestSpec(
    Uri Url,
    string Account,
    HttpMethod Method,
    byte[]? Body,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string PathPrefix,
    string Context,
    TimeSpan Timeout)
{
    public static RequestSpec Read(CommandArguments arguments)
    {
        string account = arguments.Required("account");
        if (!Bech32.TryDecode(account, out _, out byte[] payload) || payload.Length != AccountAddress.PayloadSize)
        {
            throw new UsageException("request: --account must be a bech32 account address (e.g. kira1…)");
        }

        byte[]? body = ReadBody(arguments.Optional("data"));
        string methodText = arguments.Optional("method") ?? (body is null ? "GET" : "POST");
        if (methodText.Length == 0 || !methodText.All(char.IsAsciiLetter))
        {
            throw new UsageException("request: --method must be an HTTP method such as GET or POST");
        }

        var headers = arguments.All("header").Select(ParseHeader).ToArray();
        string pathPrefix = arguments.Optional("path-prefix") ?? "/_sessiongate";
        if (pathPrefix.Length < 2 || pathPrefix[0] != '/')
        {
            throw new UsageException("request: --path-prefix must start with '/' (e.g. /_sessiongate)");
        }

        string context = arguments.Optional("context") ?? "substrate";
        TimeSpan timeout = TimeSpan.FromSeconds(30);
        if (arguments.Optional("timeout") is { } timeoutText)
        {
            timeout = double.TryParse(timeoutText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) && seconds is > 0 and <= 3600
                ? TimeSpan.FromSeconds(seconds)
                : throw new UsageException("request: --timeout must be a number of seconds between 0 and 3600");
        }

        Uri url = arguments.Positional.Count == 1
            && Uri.TryCreate(arguments.Positional[0], UriKind.Absolute, out Uri? parsed)
            && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps)
            ? parsed
            : throw new UsageException("request: expected one absolute http(s) URL, e.g. http://127.0.0.1:8080/api/hello");
        arguments.EnsureAllConsumed();
        return new RequestSpec(url, account, new HttpMethod(methodText.ToUpperInvariant()), body, headers, pathPrefix.TrimEnd('/'), context, timeout);
    }

    public HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(Method, Url);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        foreach ((string name, string value) in Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                // Content headers (Content-Type, …) belong to the body.
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name);
                if (!request.Content.Headers.TryAddWithoutValidation(name, value))
                {
                    throw new UsageException($"request: --header '{name}' cannot be set");
                }
            }
        }

        return request;
    }

    private static byte[]? ReadBody(string? data)
    {
        if (data is null || !data.StartsWith('@'))
        {
            return data is null ? null : Encoding.UTF8.GetBytes(data);
        }

        string path = data[1..];
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"request: cannot read --data file '{path}': {e.Message}");
        }
    }

    private static KeyValuePair<string, string> ParseHeader(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string name = colon > 0 ? text[..colon].Trim() : "";
        if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || c is ':' or '(' or ')' or ',' or '/' or ';' or '<' or '=' or '>' or '?' or '@' or '[' or '\\' or ']' or '{' or '}' or '"'))
        {
            throw new UsageException($"request: --header must look like 'Name: value', not '{text}'");
        }

        string value = text[(colon + 1)..].Trim();
        return value.Any(c => c is '\r' or '\n')
            ? throw new UsageException("request: --header values cannot contain line breaks")
            : new KeyValuePair<string, string>(name, value);
    }
}
