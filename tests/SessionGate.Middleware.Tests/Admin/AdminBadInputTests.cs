using System.Net;
using System.Text;
using System.Text.Json;

namespace SessionGate.Middleware.Tests.Admin;

/// <summary>Malformed input: every error reported in the problem's <c>errors</c>; 405, 413, 415; never a 500.</summary>
public sealed class AdminBadInputTests
{
    private static readonly string Account = TestGateway.AccountFor(71);
    private static readonly string Key = AdminTestGateway.PublicKeyHex(72);

    /// <summary>(method, path, body, the properties the 400's errors must name).</summary>
    public static IEnumerable<(string Method, string Path, string? Body, string[] Errors)> Cases() =>
    [
        ("POST", "/keys", "{}", ["account", "expires", "publicKey"]),
        ("POST", "/keys", "not json", ["body"]),
        ("POST", "/keys", "[1,2]", ["body"]),
        ("POST", "/keys", "\"text\"", ["body"]),
        ("POST", "/keys", "", ["body"]),
        ("POST", "/keys", "{\"a\":" + new string('[', 100) + "}", ["body"]),
        ("POST", "/keys", $$"""{"publicKey":"0x12","account":"kira1xyz","ttlSeconds":60}""", ["account", "publicKey"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{TestGateway.AccountFor(1).Replace("kira", "cosmos", StringComparison.Ordinal)}}","ttlSeconds":60}""", ["account"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account[..^1]}}q","ttlSeconds":60}""", ["account"]),
        ("POST", "/keys", $$"""{"publicKey":{{1}},"account":["x"],"ttlSeconds":60}""", ["account", "publicKey"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","ttlSeconds":60,"expires":"2099-01-01T00:00:00Z"}""", ["ttlSeconds"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","expires":"2000-01-01T00:00:00Z"}""", ["expires"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","expires":"tomorrow"}""", ["expires"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","expires":"2099-01-01T00:00:00Z"}""", ["expires"]),   // > 366 days
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","ttlSeconds":0}""", ["ttlSeconds"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","ttlSeconds":"60"}""", ["ttlSeconds"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","ttlSeconds":1e300}""", ["ttlSeconds"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","ttlSeconds":60,"useCase":"Bad Case"}""", ["useCase"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","ttlSeconds":60,"useCase":""}""", ["useCase"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","ttlSeconds":60,"scopes":"x"}""", ["scopes"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","ttlSeconds":60,"scopes":[1,{"path":"api"},{"path":"/a","methods":["G ET"]},{"methods":[]}]}""", ["scopes[0]", "scopes[1].path", "scopes[2].methods", "scopes[3].path"]),
        ("POST", "/keys", $$"""{"publicKey":"{{Key}}","account":"{{Account}}","ttlSeconds":60,"publicKey":"{{Key}}"}""", ["publicKey"]),
        ("POST", "/keys", $$"""{"publicKey":"\ud800","account":"{{Account}}","ttlSeconds":60}""", ["publicKey"]),
        ("GET", "/keys/xyz", null, ["publicKey"]),
        ("GET", "/keys/" + Key + "00", null, ["publicKey"]),
        ("POST", "/keys/zz/disable", null, ["publicKey"]),
        ("GET", "/keys/zz/disabled", null, ["publicKey"]),
        ("POST", "/keys/zz/validate", null, ["publicKey"]),
        ("POST", $"/keys/{Key}/validate", """{"path":"no-slash","method":"G-T","cost":0}""", ["cost", "method", "path"]),
        ("POST", $"/keys/{Key}/validate", """{"cost":1.5}""", ["cost"]),
        ("POST", $"/keys/{Key}/validate", """{"cost":1000001}""", ["cost"]),
        ("POST", $"/keys/{Key}/validate", """{"path":7}""", ["path"]),
        ("GET", "/accounts/kira1", null, ["account"]),
        ("GET", $"/accounts/{Account}/keys?limit=0", null, ["limit"]),
        ("GET", $"/accounts/{Account}/keys?limit=501&offset=-1", null, ["limit", "offset"]),
        ("GET", $"/accounts/{Account}/keys?limit=abc&offset=99999999999999", null, ["limit", "offset"]),
        ("GET", $"/accounts/{Account}/keys?limit=1&limit=2", null, ["limit"]),
        ("GET", "/accounts/nope/keys", null, ["account"]),
        ("PUT", "/accounts/nope/tier", """{"tier":3}""", ["account", "tier"]),
        ("PUT", $"/accounts/{Account}/tier", "{}", ["tier"]),
        ("DELETE", "/accounts/nope/tier", null, ["account"]),
        ("GET", "/usage?limit=0", null, ["limit"]),
        ("GET", "/usage?search=" + new string('a', 200), null, ["search"]),
        ("DELETE", "/blocked/" + new string('1', 200), null, ["client"]),
    ];

    [Fact]
    public async Task BadInput_Returns400NamingEveryOffendingProperty()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        await admin.JsonAsync("POST", "/keys", AdminTestGateway.Grant(Key, Account), 201);
        foreach ((string method, string path, string? body, string[] expected) in Cases())
        {
            using HttpResponseMessage response = await admin.SendAsync(method, path, body);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} {body}: {(int)response.StatusCode} {text}");
            JsonElement problem = await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
            string[] named = [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
            Assert.True(expected.SequenceEqual(named), $"{method} {path} {body}: errors {string.Join(",", named)}");
            Assert.All(problem.GetProperty("errors").EnumerateObject(), p => Assert.NotEmpty(p.Value.EnumerateArray()));
        }
    }

    [Fact]
    public async Task Body_WrongContentType_Returns415()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string grant = AdminTestGateway.Grant(Key, Account);

        await ProblemAssert.IsProblemAsync(await admin.SendAsync("POST", "/keys", grant, contentType: "text/plain"), 415, "unsupported_media_type");
        await ProblemAssert.IsProblemAsync(await admin.SendAsync("POST", "/keys", grant, contentType: "application/json; charset=latin1"), 415, "unsupported_media_type");
        await ProblemAssert.IsProblemAsync(await admin.SendAsync("PUT", $"/accounts/{Account}/tier", """{"tier":"free"}""", contentType: "application/x-www-form-urlencoded"), 415, "unsupported_media_type");
        await ProblemAssert.IsProblemAsync(await admin.SendAsync("POST", "/keys"), 415, "unsupported_media_type");
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync("POST", "/keys", grant, contentType: "application/json; charset=UTF-8")).StatusCode);
    }

    [Fact]
    public async Task Body_Over64KiB_Returns413()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        string padding = new('x', 64 * 1024);

        await ProblemAssert.IsProblemAsync(
            await admin.SendAsync("POST", "/keys", $$"""{"publicKey":"{{Key}}","pad":"{{padding}}"}"""), 413, "request_too_large");

        // Without Content-Length (chunked), the limit holds while reading.
        using var request = new HttpRequestMessage(HttpMethod.Post, admin.Admin + "/keys") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"pad\":\"" + padding + "\"}"))) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new("Bearer", AdminTestGateway.ApiKey);
        await ProblemAssert.IsProblemAsync(await admin.Gateway.Client.SendAsync(request), 413, "request_too_large");
    }

    [Fact]
    public async Task KnownPath_WrongMethod_Returns405WithAllow()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();

        using HttpResponseMessage keys = await admin.SendAsync("GET", "/keys");
        using HttpResponseMessage tier = await admin.SendAsync("POST", $"/accounts/{Account}/tier", "{}");
        using HttpResponseMessage disable = await admin.SendAsync("DELETE", $"/keys/{Key}/disable");

        await ProblemAssert.IsProblemAsync(keys, 405, "method_not_allowed");
        Assert.Equal(["POST"], keys.Content.Headers.Allow);
        await ProblemAssert.IsProblemAsync(tier, 405, "method_not_allowed");
        Assert.Equal(["PUT", "DELETE"], tier.Content.Headers.Allow);
        Assert.Equal(["POST"], disable.Content.Headers.Allow);
        await ProblemAssert.IsProblemAsync(await admin.SendAsync("GET", "/keys/" + Key + "/"), 404, "not_found");
        await ProblemAssert.IsProblemAsync(await admin.SendAsync("GET", "//keys"), 404, "not_found");
        await ProblemAssert.IsProblemAsync(await admin.SendAsync("GET", "/Usage"), 404, "not_found");
    }

    [Fact]
    public async Task Garbage_BodiesAndPaths_NeverA5xx()
    {
        await using AdminTestGateway admin = await AdminTestGateway.StartAsync();
        var random = new Random(20261121);
        string[] pieces = ["keys", "accounts", "usage", "blocked", "tier", "disable", "validate", "disabled", Key, Account, "%01", "%2F", "..", "0x", "ü", "%F0%9F%92%A9", "{", "openapi.json", ""];
        string[] bodies = ["{", "}", "null", "[]", "{\"publicKey\":", "\"\\u0000\"", "{\"scopes\":[[[]]]}", "{\"cost\":-0}", "1e999", "\uFEFF{}", "{\"tier\":null}", "{\"tier\":\"\\ud800\"}"];
        string[] methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
        for (int i = 0; i < 400; i++)
        {
            string path = "/" + string.Join("/", Enumerable.Range(0, random.Next(1, 5)).Select(_ => pieces[random.Next(pieces.Length)]));
            string method = methods[random.Next(methods.Length)];
            string? body = random.Next(3) switch
            {
                0 => null,
                1 => bodies[random.Next(bodies.Length)],
                _ => Encoding.Latin1.GetString(RandomBytes(random)),
            };

            using HttpResponseMessage response = await admin.SendAsync(method, path, method is "GET" or "HEAD" ? null : body);
            Assert.True((int)response.StatusCode < 500, $"{method} {path} {body}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        foreach ((string method, string template) in AdminRouteSamples.Routes.Where(r => r.Method is "POST" or "PUT"))
        {
            for (int i = 0; i < 50; i++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), admin.Admin + AdminRouteSamples.Fill(template)) { Content = new ByteArrayContent(RandomBytes(random)) };
                request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
                request.Headers.Authorization = new("Bearer", AdminTestGateway.ApiKey);
                using HttpResponseMessage response = await admin.Gateway.Client.SendAsync(request);
                Assert.True((int)response.StatusCode < 500, $"{method} {template}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        if (bytes.Length > 0 && random.Next(2) == 0)
        {
            bytes[0] = (byte)'{';
        }

        return bytes;
    }
}
