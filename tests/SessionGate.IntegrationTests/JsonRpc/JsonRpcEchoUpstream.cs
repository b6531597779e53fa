using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SessionGate.IntegrationTests.JsonRpc;

/// <summary>
/// A JSON-RPC server on real Kestrel (127.0.0.1, free port) that answers every call with
/// <c>{"jsonrpc":"2.0","result":{"method":…},"id":…}</c> (a batch with an array, notifications not at
/// all, as JSON-RPC 2.0 says) and records every body exactly as it arrived.
/// </summary>
internal sealed class JsonRpcEchoUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _bodies = new();

    private JsonRpcEchoUpstream(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Every body received, in order.</summary>
    public IReadOnlyCollection<string> Bodies => _bodies;

    public static async Task<JsonRpcEchoUpstream> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var upstream = new JsonRpcEchoUpstream(app);
        app.MapPost("/{**rest}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            upstream._bodies.Enqueue(body);
            using JsonDocument request = JsonDocument.Parse(body);
            string answer = Answer(request.RootElement);
            return answer.Length == 0 ? Results.NoContent() : Results.Text(answer, "application/json");
        });
        await app.StartAsync();
        upstream.Address = new Uri(app.Urls.Single());
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Answer(JsonElement request)
    {
        JsonElement[] calls = request.ValueKind == JsonValueKind.Array ? [.. request.EnumerateArray()] : [request];
        string[] answers = [.. calls
            .Where(c => c.TryGetProperty("id", out _))
            .Select(c => $$"""{"jsonrpc":"2.0","result":{"method":{{c.GetProperty("method").GetRawText()}}},"id":{{c.GetProperty("id").GetRawText()}}}""")];
        if (request.ValueKind != JsonValueKind.Array)
        {
            return answers.SingleOrDefault() ?? "";
        }

        return answers.Length == 0 ? "" : "[" + string.Join(",", answers) + "]";
    }
}
