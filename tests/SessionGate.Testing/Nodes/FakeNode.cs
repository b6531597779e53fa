using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace SessionGate.Testing.Nodes;

/// <summary>
/// What every fake chain node shares: an <see cref="HttpMessageHandler"/> for in-process tests that
/// records each request and lets a test replace the answer (<see cref="Respond"/>), and that can be
/// served on 127.0.0.1 (<see cref="ServeAsync"/>) for tests that start real processes.
/// </summary>
public abstract class FakeNode : HttpMessageHandler, IAsyncDisposable
{
    private readonly ConcurrentQueue<Uri> _requests = new();
    private LoopbackServer? _server;

    /// <summary>When set, answers every request instead of the built-in routes (return null to fall through).</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage?>>? Respond { get; set; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<Uri> Requests => [.. _requests];

    public int RequestCount => _requests.Count;

    /// <summary>The address the node is served at.</summary>
    public Uri BaseUri => _server?.BaseUri ?? throw new InvalidOperationException("The node is not served: call ServeAsync first.");

    /// <summary>How many requests asked for <paramref name="path"/> (e.g. <c>/status</c>).</summary>
    public int Count(string path) => _requests.Count(u => u.AbsolutePath == path);

    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>Serves the node on real Kestrel at 127.0.0.1 (a free port): see <see cref="BaseUri"/>.</summary>
    public async Task ServeAsync() => _server ??= await LoopbackServer.StartAsync(this);

    /// <summary>Stops listening: later requests fail with "connection refused".</summary>
    public Task StopAsync() => _server?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The node's own answer to <paramref name="request"/>.</summary>
    protected abstract Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    protected sealed override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _requests.Enqueue(request.RequestUri!);
        return Respond is { } respond && await respond(request, cancellationToken) is { } custom
            ? custom
            : await AnswerAsync(request, cancellationToken);
    }
}
