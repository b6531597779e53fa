using System.Globalization;
using SessionGate.Crypto;
using SessionGate.Grants;
using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Proxy.Cli;

namespace SessionGate.Proxy.Commands;

/// <summary>
/// The validated arguments of <c>sessiongate grant</c> and <c>sessiongate grant revoke</c>; every
/// mistake is a <see cref="UsageException"/>. The caller owns (and zeroes) <see cref="WalletKey"/>.
/// </summary>
internal sealed record GrantSpec(
    GrantMessageKind Kind,
    byte[] WalletKey,
    Bytes32 SessionKey,
    Uri Gateway,
    string PathPrefix,
    string Domain,
    string? ChainId,
    string UseCase,
    string? Statement,
    TimeSpan? Lifetime,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<KeyScope> Scopes,
    string? Nonce,
    string AddressPrefix,
    TimeSpan Timeout)
{
    public static readonly HashSet<string> Repeatable = new(StringComparer.Ordinal) { "scope" };

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(1);

    public static GrantSpec Read(string command, GrantMessageKind kind, CommandArguments arguments, GrantSecrets secrets)
    {
        Uri gateway = ReadUrl(command, arguments.Required("url"));
        string pathPrefix = arguments.Optional("path-prefix") ?? "/_sessiongate";
        if (pathPrefix.Length < 2 || pathPrefix[0] != '/')
        {
            throw new UsageException($"{command}: --path-prefix must start with '/' (e.g. /_sessiongate)");
        }

        // EIP-4361's domain is the URI authority (host, and the port when it is not the scheme's
        // default); the gateway compares it with SessionGate:Grants:Domain exactly.
        string domain = arguments.Optional("domain") ?? gateway.Authority;
        string addressPrefix = arguments.Optional("prefix") ?? "kira";
        if (addressPrefix.Length == 0 || !addressPrefix.All(char.IsAsciiLetterLower))
        {
            throw new UsageException($"{command}: --prefix must be lowercase letters (e.g. kira)");
        }

        Bytes32 sessionKey = ReadSessionKey(command, arguments, secrets);
        string useCase = "frontend_session_key";
        string? statement = null;
        TimeSpan? lifetime = null;
        DateTimeOffset? expiresAt = null;
        IReadOnlyList<KeyScope> scopes = [];
        if (kind == GrantMessageKind.Grant)
        {
            useCase = arguments.Optional("use-case") ?? useCase;
            statement = arguments.Optional("statement");
            (lifetime, expiresAt) = ReadExpires(command, arguments.Optional("expires"));
            scopes = [.. arguments.All("scope").Select(s => ReadScope(command, s))];
        }

        string? chainId = arguments.Optional("chain-id");
        string? nonce = arguments.Optional("nonce");
        TimeSpan timeout = TimeSpan.FromSeconds(30);
        if (arguments.Optional("timeout") is { } timeoutText)
        {
            timeout = double.TryParse(timeoutText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) && seconds is > 0 and <= 3600
                ? TimeSpan.FromSeconds(seconds)
                : throw new UsageException($"{command}: --timeout must be a number of seconds between 0 and 3600");
        }

        // Read last: a usage error above leaves nothing secret in memory.
        byte[] walletKey = secrets.Read(arguments, "wallet-key", Adr036Signer.PrivateKeySize)
            ?? throw new UsageException($"{command}: missing --wallet-key HEX (or --wallet-key-file PATH; `sessiongate wallet new` makes one)");
        try
        {
            arguments.EnsureAllConsumed();
        }
        catch
        {
            Array.Clear(walletKey);
            throw;
        }

        return new GrantSpec(kind, walletKey, sessionKey, gateway, pathPrefix.TrimEnd('/'), domain, chainId, useCase, statement, lifetime, expiresAt, scopes, nonce, addressPrefix, timeout);
    }

    /// <summary>The message's fields for <paramref name="account"/> on <paramref name="chainId"/>, issued at <paramref name="now"/>.</summary>
    public GrantMessage ToMessage(string account, string chainId, DateTimeOffset now, string nonce)
    {
        // Whole seconds: the line a person reads in the wallet stays short.
        DateTimeOffset issuedAt = new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return new GrantMessage
        {
            Kind = Kind,
            Domain = Domain,
            Account = account,
            Statement = Statement,
            SessionKey = SessionKey,
            UseCase = Kind == GrantMessageKind.Grant ? UseCase : "",
            ChainId = chainId,
            Nonce = nonce,
            IssuedAt = issuedAt,
            ExpirationTime = Kind == GrantMessageKind.Grant ? ExpiresAt ?? issuedAt + (Lifetime ?? DefaultLifetime) : default,
            Scopes = Scopes,
        };
    }

    private static Uri ReadUrl(string command, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? new Uri(url.GetLeftPart(UriPartial.Authority))
            : throw new UsageException($"{command}: --url must be the gateway's absolute http(s) URL, e.g. http://127.0.0.1:8080");

    private static Bytes32 ReadSessionKey(string command, CommandArguments arguments, GrantSecrets secrets)
    {
        string? publicKeyText = arguments.Optional("public-key");
        byte[]? seed = secrets.Read(arguments, "seed", Sr25519.MiniSecretKeySize);
        try
        {
            if ((publicKeyText is null) == (seed is null))
            {
                throw new UsageException($"{command}: give the session key as --seed HEX, --seed-file PATH or --public-key HEX (exactly one)");
            }

            if (seed is not null)
            {
                using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(seed);
                return new Bytes32(pair.PublicKey);
            }

            return Bytes32.TryParseHex(publicKeyText, out Bytes32 key)
                ? key
                : throw new UsageException($"{command}: --public-key must be 32 bytes of hex (0x optional)");
        }
        finally
        {
            if (seed is not null)
            {
                Array.Clear(seed);
            }
        }
    }

    /// <summary>An RFC 3339 time, or a lifetime: a whole number followed by s, m, h or d.</summary>
    private static (TimeSpan? Lifetime, DateTimeOffset? At) ReadExpires(string command, string? text)
    {
        if (text is null)
        {
            return (null, null);
        }

        if (text.Length >= 2 && char.IsAsciiLetterLower(text[^1])
            && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long amount)
            && amount is > 0 and <= 366L * 86_400)
        {
            TimeSpan? lifetime = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' when amount <= 366 => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (lifetime is not null)
            {
                return (lifetime, null);
            }
        }

        // RFC 3339 needs a date, a time and an offset (Z or ±hh:mm).
        if (text.Length >= 20 && text[10] == 'T' && (text[^1] == 'Z' || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out DateTimeOffset at))
        {
            return (null, at);
        }

        throw new UsageException($"{command}: --expires must be a lifetime such as 3600s, 90m, 12h or 7d, or an RFC 3339 time such as 2026-12-31T00:00:00Z");
    }

    /// <summary><c>PATH</c> or <c>METHOD[,METHOD…] PATH</c>, as the message's scope lines (the gateway checks the rest).</summary>
    private static KeyScope ReadScope(string command, string text)
    {
        string[] parts = text.Split(' ');
        return parts switch
        {
            [var path] when path.StartsWith('/') => new KeyScope(path, []),
            [var methods, var path] when path.StartsWith('/') && methods.Length > 0 => new KeyScope(path, methods.Split(',')),
            _ => throw new UsageException($"{command}: --scope must be PATH or METHOD[,METHOD...] PATH, e.g. \"/api/\" or \"GET,POST /api/\""),
        };
    }
}
