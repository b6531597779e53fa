using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.Grants;
using SessionGate.Protocol;

namespace SessionGate.Proxy.Tests.Commands;

public sealed class GrantCommandTests
{
    private const string WalletKey = "0x1111111111111111111111111111111111111111111111111111111111111111";
    private const string Seed = "0x0101010101010101010101010101010101010101010101010101010101010101";

    private static string WalletAccount
    {
        get
        {
            Assert.True(Adr036Signer.TryCreate(Convert.FromHexString(WalletKey[2..]), out Adr036Signer? signer));
            using (signer)
            {
                return signer.AccountAddress("kira");
            }
        }
    }

    private static string SessionPublicKey
    {
        get
        {
            using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(Convert.FromHexString(Seed[2..]));
            return HexCodec.Encode(pair.PublicKey);
        }
    }

    [Fact]
    public async Task Grant_AgainstGateway_PostsAMessageTheGatewaysVerifierAcceptsAndPrintsTheKey()
    {
        await using GrantGatewayServer gateway = await GrantGatewayServer.StartAsync();
        DateTimeOffset before = DateTimeOffset.UtcNow;

        CliResult result = await CliRunner.RunAsync("grant", "--wallet-key", WalletKey, "--seed", Seed, "--url", gateway.Url);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        using JsonDocument record = JsonDocument.Parse(result.Output);
        Assert.Equal(SessionPublicKey, record.RootElement.GetProperty("public_key").GetString());
        Assert.Equal(WalletAccount, record.RootElement.GetProperty("account").GetString());
        (string path, string body) = Assert.Single(gateway.Received);
        Assert.Equal("/_sessiongate/grants", path);
        GrantMessage message = Parse(body, GrantMessageKind.Grant);
        Assert.Equal(gateway.Domain, message.Domain);
        Assert.Matches(@"^127\.0\.0\.1:\d+$", message.Domain);
        Assert.Equal(GrantGatewayServer.ChainId, message.ChainId);
        Assert.Equal("frontend_session_key", message.UseCase);
        Assert.Empty(message.Scopes);
        Assert.Matches("^[A-Za-z0-9]{16}$", message.Nonce);
        Assert.InRange(message.IssuedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal(TimeSpan.FromDays(1), message.ExpirationTime - message.IssuedAt);
    }

    [Fact]
    public async Task Grant_AllOptions_AreInTheSignedMessage()
    {
        await using GrantGatewayServer gateway = await GrantGatewayServer.StartAsync(domain: "app.example.org");

        CliResult result = await CliRunner.RunAsync(
            "grant", "--wallet-key", WalletKey, "--public-key", SessionPublicKey, "--url", gateway.Url + "/ignored/path",
            "--domain", "app.example.org", "--expires", "90m", "--statement", "Sign in to the example app.",
            "--scope", "/api/", "--scope", "GET,POST /data/", "--nonce", "fixedNonce123");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        (_, string body) = Assert.Single(gateway.Received);
        GrantMessage message = Parse(body, GrantMessageKind.Grant);
        Assert.Equal("app.example.org", message.Domain);
        Assert.Equal("Sign in to the example app.", message.Statement);
        Assert.Equal("fixedNonce123", message.Nonce);
        Assert.Equal(TimeSpan.FromMinutes(90), message.ExpirationTime - message.IssuedAt);
        Assert.Collection(
            message.Scopes,
            s => Assert.Equal(("/api/", ""), (s.Path, string.Join(',', s.Methods))),
            s => Assert.Equal(("/data/", "GET,POST"), (s.Path, string.Join(',', s.Methods))));
    }

    [Fact]
    public async Task Grant_SecretsFromFileAndStdin_SameMessageSigner()
    {
        await using GrantGatewayServer gateway = await GrantGatewayServer.StartAsync();
        string seedFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(seedFile, Seed + "\n");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var expires = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero).AddDays(3);
        try
        {
            var command = new GrantCommandProbe(new StringReader(WalletKey + "\n"));
            CliResult result = await command.RunAsync("--wallet-key-file", "-", "--seed-file", seedFile, "--url", gateway.Url, "--expires", expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), "--chain-id", GrantGatewayServer.ChainId);

            Assert.True(result.ExitCode == 0, result.Output + result.Error);
        }
        finally
        {
            File.Delete(seedFile);
        }

        GrantMessage message = Parse(Assert.Single(gateway.Received).Body, GrantMessageKind.Grant);
        Assert.Equal(WalletAccount, message.Account);
        Assert.Equal(SessionPublicKey, message.SessionKey.ToHex());
        Assert.Equal(expires, message.ExpirationTime);
    }

    [Fact]
    public async Task GrantRevoke_PostsTheRevokeMessageToGrantsRevoke()
    {
        await using GrantGatewayServer gateway = await GrantGatewayServer.StartAsync();

        CliResult result = await CliRunner.RunAsync("grant", "revoke", "--wallet-key", WalletKey, "--seed", Seed, "--url", gateway.Url);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Equal("disabled", JsonDocument.Parse(result.Output).RootElement.GetProperty("state").GetString());
        (string path, string body) = Assert.Single(gateway.Received);
        Assert.Equal("/_sessiongate/grants/revoke", path);
        string text = JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
        Assert.StartsWith(gateway.Domain + " wants you to revoke a session key of your account:\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Expiration Time", text, StringComparison.Ordinal);
        Assert.Equal(SessionPublicKey, Parse(body, GrantMessageKind.Revoke).SessionKey.ToHex());
    }

    [Fact]
    public async Task Grant_GatewayRefuses_ExitsOneWithTheCodeOnStandardError()
    {
        // The gateway expects another domain: 400 grant_wrong_domain.
        await using GrantGatewayServer gateway = await GrantGatewayServer.StartAsync(domain: "app.example.org");

        CliResult result = await CliRunner.RunAsync("grant", "--wallet-key", WalletKey, "--seed", Seed, "--url", gateway.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("sessiongate grant: 400 grant_wrong_domain: ", result.Error, StringComparison.Ordinal);
        Assert.Equal("grant_wrong_domain", JsonDocument.Parse(result.Output).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Grant_GatewayUnreachable_ExitsTwo()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        CliResult result = await CliRunner.RunAsync("grant", "--wallet-key", WalletKey, "--seed", Seed, "--url", $"http://127.0.0.1:{port}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot reach", result.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string[]> BadUsage => new()
    {
        new[] { "grant", "--seed", Seed, "--url", "http://127.0.0.1:1" },                                             // no wallet key
        new[] { "grant", "--wallet-key", WalletKey, "--url", "http://127.0.0.1:1" },                                  // no session key
        new[] { "grant", "--wallet-key", WalletKey, "--seed", Seed, "--public-key", Seed, "--url", "http://x:1" },     // two session keys
        new[] { "grant", "--wallet-key", WalletKey, "--wallet-key-file", "/nonexistent", "--seed", Seed, "--url", "http://x:1" },
        new[] { "grant", "--wallet-key-file", "/nonexistent/key", "--seed", Seed, "--url", "http://x:1" },
        new[] { "grant", "--wallet-key", WalletKey, "--seed", Seed },                                                 // no URL
        new[] { "grant", "--wallet-key", WalletKey, "--seed", Seed, "--url", "ftp://x" },
        new[] { "grant", "--wallet-key", WalletKey, "--seed", Seed, "--url", "http://x:1", "--expires", "soon" },
        new[] { "grant", "--wallet-key", WalletKey, "--seed", Seed, "--url", "http://x:1", "--expires", "400d" },
        new[] { "grant", "--wallet-key", WalletKey, "--seed", Seed, "--url", "http://x:1", "--scope", "api" },
        new[] { "grant", "--wallet-key", WalletKey, "--seed", "0x12", "--url", "http://x:1" },
        new[] { "grant", "--wallet-key", new string('0', 64), "--seed", Seed, "--url", "http://x:1", "--chain-id", "c" },
        new[] { "grant", "--wallet-key", WalletKey, "--seed", Seed, "--url", "http://x:1", "--chain-id", "c", "--nonce", "short" },
        new[] { "grant", "--wallet-key", WalletKey, "--seed", Seed, "--url", "http://x:1", "--bogus", "1" },
        new[] { "grant", "revoke", "--wallet-key", WalletKey, "--seed", Seed, "--url", "http://x:1", "--expires", "1d" }, // revoke has no expiry
    };

    [Theory]
    [MemberData(nameof(BadUsage))]
    public async Task Grant_BadUsage_ExitsTwoWithOneLineAndNoOutput(string[] args)
    {
        CliResult result = await CliRunner.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.Output + result.Error);
        Assert.Equal("", result.Output);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static GrantMessage Parse(string body, GrantMessageKind kind)
    {
        string text = JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
        Assert.True(GrantMessageParser.TryParse(text, kind, "kira", out GrantMessage? message, out IReadOnlyList<string> errors), string.Join("; ", errors));
        return message!;
    }
}
