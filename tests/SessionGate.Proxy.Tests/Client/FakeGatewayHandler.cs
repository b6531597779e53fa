using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace SessionGate.Proxy.Tests.Client;

/// <summary>
/// A gateway as an <see cref="HttpMessageHandler"/>: <c>/_sessiongate/block</c> answers the current
/// block (changed with <see cref="NextBlock"/>), every other request is recorded and answered 200,
/// or with <see cref="NextAnswer"/> once when set.
/// </summary>
internal sealed class FakeGatewayHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<(string Path, string? Header)> _requests = new();
    private int _blockFetches;
    private int _height = 1;

    public int BlockFetches => Volatile.Read(ref _blockFetches);

    public string CurrentHash { get; private set; } = Hash(1);

    /// <summary>When set, block fetches wait for it (to hold a fetch in flight).</summary>
    public TaskCompletionSource? BlockGate { get; set; }

    /// <summary>When true, block fetches fail with 503.</summary>
    public bool BlockUnavailable { get; set; }

    /// <summary>Answer for the next non-block request, then back to 200.</summary>
    public Func<HttpResponseMessage>? NextAnswer { get; set; }

    public IReadOnlyList<(string Path, string? Header)> Requests => [.. _requests];

    public void NextBlock() => CurrentHash = Hash(Interlocked.Increment(ref _height));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri!.AbsolutePath.EndsWith("/block", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _blockFetches);
            if (BlockGate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            return BlockUnavailable
                ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{\"code\":\"chain_unavailable\"}", Encoding.UTF8, "application/problem+json") }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"{{\"height\":{_height},\"hash\":\"{CurrentHash}\",\"time\":\"2030-01-01T00:00:00Z\"}}", Encoding.UTF8, "application/json") };
        }

        _requests.Enqueue((request.RequestUri.PathAndQuery, request.Headers.TryGetValues("kira_session", out IEnumerable<string>? values) ? values.Single() : null));
        Func<HttpResponseMessage>? answer = NextAnswer;
        NextAnswer = null;
        return answer?.Invoke() ?? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok") };
    }

    public static HttpResponseMessage Problem(HttpStatusCode status, string code)
    {
        string json = $"{{\"type\":\"urn:sessiongate:problem:{code}\",\"title\":\"t\",\"status\":{(int)status},\"code\":\"{code}\"}}";
        return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/problem+json") };
    }

    private static string Hash(int height) => Convert.ToHexString(SHA256.HashData(BitConverter.GetBytes(height)));
}
