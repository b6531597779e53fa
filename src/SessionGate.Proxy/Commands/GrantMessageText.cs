using System.Globalization;
using SessionGate.Grants;
using SessionGate.Keys;

namespace SessionGate.Proxy.Commands;

/// <summary>
/// Writes the grant and revoke messages of docs/grants.md §1 for <c>sessiongate grant</c>, line by
/// line as <see cref="GrantMessageParser"/> reads them (the command parses its own text before
/// signing, so a message the gateway would refuse is never signed).
/// </summary>
internal static class GrantMessageText
{
    /// <summary>The grant message for <paramref name="message"/> (kind <see cref="GrantMessageKind.Grant"/>).</summary>
    public static string Grant(GrantMessage message)
    {
        var lines = new List<string>(16);
        AddHead(lines, message, GrantMessageParser.GrantIntro);
        lines.Add("Use Case: " + message.UseCase);
        lines.Add("Chain ID: " + message.ChainId);
        lines.Add("Nonce: " + message.Nonce);
        lines.Add("Issued At: " + Time(message.IssuedAt));
        lines.Add("Expiration Time: " + Time(message.ExpirationTime));
        if (message.Scopes.Count > 0)
        {
            lines.Add(GrantMessageParser.ScopesHeader);
            foreach (KeyScope scope in message.Scopes)
            {
                lines.Add(scope.Methods.Count == 0 ? "- " + scope.Path : $"- {string.Join(',', scope.Methods)} {scope.Path}");
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>The revoke message for <paramref name="message"/>: only Session Key, Chain ID, Nonce and Issued At.</summary>
    public static string Revoke(GrantMessage message)
    {
        var lines = new List<string>(8);
        AddHead(lines, message, GrantMessageParser.RevokeIntro);
        lines.Add("Chain ID: " + message.ChainId);
        lines.Add("Nonce: " + message.Nonce);
        lines.Add("Issued At: " + Time(message.IssuedAt));
        return string.Join('\n', lines);
    }

    /// <summary>RFC 3339 UTC with the fraction only when there is one (the spelling Keplr users see in EIP-4361 messages).</summary>
    public static string Time(DateTimeOffset time)
    {
        DateTime utc = time.UtcDateTime;
        string text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text + "Z";
    }

    private static void AddHead(List<string> lines, GrantMessage message, string intro)
    {
        lines.Add(message.Domain + intro);
        lines.Add(message.Account);
        lines.Add("");
        if (message.Statement is { } statement)
        {
            lines.Add(statement);
            lines.Add("");
        }

        lines.Add("Session Key: " + message.SessionKey.ToHex());
    }
}
