using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>What the gateway answered to one request: status, problem <c>code</c> (if any) and how long it took.</summary>
internal readonly record struct Answer(int Status, string? Code, TimeSpan Took)
{
    /// <summary>When the request was sent (<see cref="Stopwatch.GetTimestamp"/>), to line slow answers up with other requests and stalls.</summary>
    public long Started { get; init; }

    public bool IsServerError => Status >= 500;

    public override string ToString() => Code is null ? Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Status} {Code}";

    /// <summary>Sends <paramref name="request"/> and reads the answer; the body is read only for problem responses.</summary>
    public static async Task<Answer> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        long started = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string? code = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            code = ProblemCode(body);
        }
        else
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Answer((int)response.StatusCode, code, Stopwatch.GetElapsedTime(started)) { Started = started };
    }

    /// <summary>
    /// GET <paramref name="path"/> synchronously on the calling thread (SocketsHttpHandler does blocking
    /// socket I/O for <see cref="HttpClient.Send(HttpRequestMessage)"/>): no thread pool, no timer, so
    /// the time measured is the gateway's and the network's, not the test process's scheduling
    /// (docs/RELIABILITY.md, "Outliers").
    /// </summary>
    public static Answer Get(HttpClient client, string path, string? sessionHeader = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (sessionHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("kira_session", sessionHeader);
        }

        long started = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = client.Send(request);
        using Stream body = response.Content.ReadAsStream();
        string? code = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            using var reader = new StreamReader(body);
            code = ProblemCode(reader.ReadToEnd());
        }
        else
        {
            body.CopyTo(Stream.Null);
        }

        return new Answer((int)response.StatusCode, code, Stopwatch.GetElapsedTime(started)) { Started = started };
    }

    /// <summary>GET <paramref name="path"/> with an optional session header.</summary>
    public static Task<Answer> GetAsync(HttpClient client, string path, string? sessionHeader = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (sessionHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("kira_session", sessionHeader);
        }

        return SendAndDisposeAsync(client, request, cancellationToken);
    }

    private static async Task<Answer> SendAndDisposeAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await SendAsync(client, request, cancellationToken).ConfigureAwait(false);
        }
    }

    // A problem body that is not JSON or has no string "code" shows up as "<no code>", which no
    // documented set contains, so the assertion fails with the status in its message.
    private static string ProblemCode(string body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("code", out JsonElement code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()!
                : "<no code>";
        }
        catch (JsonException)
        {
            return "<no code>";
        }
    }

    /// <summary>HTTP status as the enum, for readable assertions.</summary>
    public HttpStatusCode StatusCode => (HttpStatusCode)Status;
}
