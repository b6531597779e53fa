using System.Text;
using SessionGate.Grants;
using SessionGate.Testing.Grants;
using static SessionGate.Middleware.Tests.Grants.GrantFixture;

namespace SessionGate.Middleware.Tests.Grants;

/// <summary>10,000 mutated grant bodies and messages through HTTP: never a 5xx, always a documented code.</summary>
public sealed class GrantFuzzTests
{
    private static readonly HashSet<string> Documented =
    [
        .. GrantErrors.All.Values.Select(d => d.Code),
        "request_too_large", "unsupported_media_type", "method_not_allowed", "rate_limited", "ip_blocked",
    ];

    [Fact]
    public async Task Post_10000MutatedGrants_NeverFailsAndAnswersDocumentedCodes()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(Settings(("SessionGate:ClientBlocking:Enabled", "false")));
        var wallet = new TestWallet("fuzz");
        var random = new Random(1234);
        // Scope lines of every form (methods, path only, max-cost), so mutations hit the scope parser too.
        string message = GrantFor(wallet, NewSessionKey(), extra: ["Scopes:", "- GET,POST /api/", "- /public/", "- GET /reports/ max-cost=25"]);
        string body = wallet.Body(message);
        var seen = new Dictionary<string, int>();

        for (int i = 0; i < 10_000; i++)
        {
            string mutated = random.Next(3) == 0 ? Mutate(body, random) : wallet.Body(Mutate(message, random), random.Next(4) == 0 ? null : wallet.Sign(message));
            using HttpResponseMessage response = await PostAsync(gateway, random.Next(10) == 0 ? "/grants/revoke" : "/grants", mutated);
            int status = (int)response.StatusCode;
            Assert.True(status < 500, $"{status} for mutation {i}");
            string code = status is 200 or 201 ? "ok" : await CodeAsync(response) ?? "none";
            Assert.True(code == "ok" || Documented.Contains(code), $"undocumented code {code} ({status})");
            seen[code] = seen.GetValueOrDefault(code) + 1;
        }

        Assert.True(seen.GetValueOrDefault("grant_malformed") > 1000);
    }

    private static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && builder.Length > 0; e++)
        {
            int at = random.Next(builder.Length);
            switch (random.Next(7))
            {
                case 0: builder[at] = (char)random.Next(0x20, 0x7F); break;
                case 1: builder.Remove(at, 1); break;
                case 2: builder.Insert(at, (char)random.Next(0, 0x3000)); break;
                case 3: builder.Insert(at, "\n"); break;
                case 4: builder.Insert(at, "\r"); break;
                case 5: builder.Length = at; break;
                default:
                    string s = builder.ToString();
                    int line = s.IndexOf('\n', at);
                    if (line > 0)
                    {
                        builder.Insert(line, s[at..line]);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
