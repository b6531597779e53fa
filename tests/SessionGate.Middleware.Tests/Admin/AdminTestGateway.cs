using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.Crypto;
using SessionGate.Keys;
using SessionGate.Protocol;

namespace SessionGate.Middleware.Tests.Admin;

/// <summary>A <see cref="TestGateway"/> with the admin API switched on, and helpers to call it.</summary>
internal sealed class AdminTestGateway : IAsyncDisposable
{
    public const string ApiKey = "697ef80569a8c4bc1933745eafa828e75ecb97985c7eb67d667283e80022b5cf";

    private AdminTestGateway(TestGateway gateway) => Gateway = gateway;

    public TestGateway Gateway { get; }

    public string Admin => Gateway.PathPrefix + "/admin";

    public ISignerKeyDirectory Directory => Gateway.App.Services.GetRequiredService<ISignerKeyDirectory>();

    public static async Task<AdminTestGateway> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["SessionGate:Admin:ApiKey"] = ApiKey };
        foreach ((string name, string? value) in settings ?? [])
        {
            all[name] = value;
        }

        return new AdminTestGateway(await TestGateway.StartAsync(all));
    }

    /// <summary>Sends an admin request with the right credential (or <paramref name="authorization"/> as given; "" for none).</summary>
    public async Task<HttpResponseMessage> SendAsync(string method, string path, string? json = null, string? authorization = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Admin + path);
        if (authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        }
        else if (authorization.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (json is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return await Gateway.Client.SendAsync(request);
    }

    public async Task<JsonElement> JsonAsync(string method, string path, string? json = null, int expectedStatus = 200)
    {
        using HttpResponseMessage response = await SendAsync(method, path, json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expectedStatus == (int)response.StatusCode, $"expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> ProblemAsync(string method, string path, string? json, int status, string code)
    {
        using HttpResponseMessage response = await SendAsync(method, path, json);
        return await ProblemAssert.IsProblemAsync(response, status, code);
    }

    /// <summary>A deterministic sr25519 key pair (seed byte repeated).</summary>
    public static Sr25519KeyPair KeyPair(byte seed) => Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat(seed, 32).ToArray());

    public static string PublicKeyHex(byte seed)
    {
        using Sr25519KeyPair pair = KeyPair(seed);
        return HexCodec.Encode(pair.PublicKey);
    }

    public static string Grant(string publicKey, string account, string extra = "") =>
        $$"""{"publicKey":"{{publicKey}}","account":"{{account}}","ttlSeconds":86400{{extra}}}""";

    public ValueTask DisposeAsync() => Gateway.DisposeAsync();
}
