using SessionGate.Grants;
using SessionGate.Keys;
using SessionGate.Testing.Grants;

namespace SessionGate.Tests.Grants;

public sealed class GrantMessageParserTests
{
    private const string Key = "0xdef12e42f3e487e9b14095aa8d5cc16a33491f1b50dadcf8811d1480f3fa8627";
    private static readonly TestWallet Wallet = new("parser");
    private static readonly DateTimeOffset Issued = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);

    private static string Valid(params string[] extra) => Wallet.Grant("app.example.org", Key, "localnet-1", Issued, Issued.AddDays(7), extra: extra);

    [Fact]
    public void TryParse_ValidGrant_ReadsEveryLine()
    {
        Assert.True(GrantMessageParser.TryParse(Valid(), GrantMessageKind.Grant, "kira", out GrantMessage? message, out _));
        Assert.Equal("app.example.org", message!.Domain);
        Assert.Equal(Wallet.Account, message.Account);
        Assert.Equal(Key, message.SessionKey.ToHex());
        Assert.Equal("localnet-1", message.ChainId);
        Assert.Equal(Issued.AddDays(7), message.ExpirationTime);
        Assert.Empty(message.Scopes);
    }

    [Fact]
    public void TryParse_StatementAndScopes_AreRead()
    {
        string text = Valid("Scopes:", "- GET /api/", "- GET,POST /api/orders/", "- /public/")
            .Replace("\n\nSession Key", "\n\nSign in to the example app.\n\nSession Key", StringComparison.Ordinal);

        Assert.True(GrantMessageParser.TryParse(text, GrantMessageKind.Grant, "kira", out GrantMessage? message, out IReadOnlyList<string> errors), string.Join("; ", errors));
        Assert.Equal("Sign in to the example app.", message!.Statement);
        Assert.Equal(3, message.Scopes.Count);
        Assert.Equal(["GET", "POST"], message.Scopes[1].Methods);
        Assert.Empty(message.Scopes[2].Methods);
    }

    [Fact]
    public void TryParse_MaxCostScopeLines_AreRead()
    {
        string text = Valid("Scopes:", "- GET /api/ max-cost=5", "- /reports/ max-cost=1000000", "- POST /api/orders/");

        Assert.True(GrantMessageParser.TryParse(text, GrantMessageKind.Grant, "kira", out GrantMessage? message, out IReadOnlyList<string> errors), string.Join("; ", errors));
        Assert.True(message!.Scopes[0].SameAs(new KeyScope("/api/", ["GET"], 5)));
        Assert.Equal("/reports/", message.Scopes[1].Path);
        Assert.Empty(message.Scopes[1].Methods);
        Assert.Equal(1_000_000, message.Scopes[1].MaxCost);
        Assert.Null(message.Scopes[2].MaxCost);
    }

    [Fact]
    public void TryParse_FractionalSeconds_AreAllowed()
    {
        string text = Valid().Replace("Expiration Time: 2026-12-09T18:00:00Z", "Expiration Time: 2026-12-09T18:00:00.123456789Z", StringComparison.Ordinal);
        Assert.True(GrantMessageParser.TryParse(text, GrantMessageKind.Grant, "kira", out _, out _));
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "CR line ends", Valid().Replace("\n", "\r\n", StringComparison.Ordinal) },
        { "trailing space", Valid().Replace("Use Case: frontend_session_key", "Use Case: frontend_session_key ", StringComparison.Ordinal) },
        { "identity key", Valid().Replace(Key, "0x" + new string('0', 64), StringComparison.Ordinal) },
        { "non-canonical key", Valid().Replace(Key, "0x" + new string('f', 64), StringComparison.Ordinal) },
        { "short key", Valid().Replace(Key, Key[..^2], StringComparison.Ordinal) },
        { "key without 0x", Valid().Replace(Key, "00" + Key[2..], StringComparison.Ordinal) },
        { "bad account", Valid().Replace(Wallet.Account, Wallet.Account[..^1] + (Wallet.Account[^1] == 'q' ? 'p' : 'q'), StringComparison.Ordinal) },
        { "uppercase account", Valid().Replace(Wallet.Account, Wallet.Account.ToUpperInvariant(), StringComparison.Ordinal) },
        { "other prefix", new TestWallet("parser", "cosmos").Grant("app.example.org", Key, "localnet-1", Issued, Issued.AddDays(7)) },
        { "swapped lines", Valid().Replace("Use Case: frontend_session_key\nChain ID: localnet-1", "Chain ID: localnet-1\nUse Case: frontend_session_key", StringComparison.Ordinal) },
        { "unknown line", Valid("Resources: x") },
        { "missing nonce", Valid().Replace("Nonce: n0nce12345678\n", "", StringComparison.Ordinal) },
        { "short nonce", Valid().Replace("Nonce: n0nce12345678", "Nonce: abc", StringComparison.Ordinal) },
        { "local time", Valid().Replace("Issued At: 2026-12-02T18:00:00Z", "Issued At: 2026-12-02T18:00:00+01:00", StringComparison.Ordinal) },
        { "expires before issued", Valid().Replace("Expiration Time: 2026-12-09T18:00:00Z", "Expiration Time: 2026-12-01T18:00:00Z", StringComparison.Ordinal) },
        { "trailing newline", Valid() + "\n" },
        { "empty scopes", Valid("Scopes:") },
        { "bad scope", Valid("Scopes:", "- get /api/") },
        { "max cost zero", Valid("Scopes:", "- GET /api/ max-cost=0") },
        { "max cost leading zero", Valid("Scopes:", "- GET /api/ max-cost=05") },
        { "max cost too large", Valid("Scopes:", "- GET /api/ max-cost=1000001") },
        { "max cost negative", Valid("Scopes:", "- GET /api/ max-cost=-1") },
        { "max cost not a number", Valid("Scopes:", "- GET /api/ max-cost=five") },
        { "max cost empty", Valid("Scopes:", "- GET /api/ max-cost=") },
        { "max cost alone", Valid("Scopes:", "- max-cost=5") },
        { "max cost before path", Valid("Scopes:", "- GET max-cost=5 /api/") },
        { "max cost twice", Valid("Scopes:", "- GET /api/ max-cost=5 max-cost=6") },
        { "max cost other spelling", Valid("Scopes:", "- GET /api/ max_cost=5") },
        { "revoke message", Wallet.Revoke("app.example.org", Key, "localnet-1", Issued) },
        { "too long", Valid().Replace("Nonce: n0nce12345678", "Nonce: " + new string('a', 2100), StringComparison.Ordinal) },
        { "lone surrogate", Valid().Replace("app.example.org", "app\ud800", StringComparison.Ordinal) },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_Malformed_ReportsProblems(string why, string text)
    {
        bool parsed = GrantMessageParser.TryParse(text, GrantMessageKind.Grant, "kira", out GrantMessage? message, out IReadOnlyList<string> errors);

        Assert.False(parsed, why);
        Assert.Null(message);
        Assert.NotEmpty(errors);
    }

    [Fact]
    public void TryParse_SeveralProblems_ListsEveryOne()
    {
        string text = Valid().Replace(Key, "0x00", StringComparison.Ordinal).Replace("Nonce: n0nce12345678", "Nonce: x", StringComparison.Ordinal) + " ";

        Assert.False(GrantMessageParser.TryParse(text, GrantMessageKind.Grant, "kira", out _, out IReadOnlyList<string> errors));
        Assert.True(errors.Count >= 3, string.Join("; ", errors));
    }

    [Fact]
    public void TryParse_ValidRevoke_ReadsItsLines()
    {
        Assert.True(GrantMessageParser.TryParse(Wallet.Revoke("app.example.org", Key, "localnet-1", Issued), GrantMessageKind.Revoke, "kira", out GrantMessage? message, out _));
        Assert.Equal(GrantMessageKind.Revoke, message!.Kind);
    }
}
