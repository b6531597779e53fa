using System.Text;
using SessionGate.Chain;
using SessionGate.Crypto;
using SessionGate.Keys;
using SessionGate.Protocol;

namespace SessionGate.Grants;

/// <summary>
/// Parses the grant and revoke messages of docs/grants.md §1, strictly: exactly the specified lines
/// in the specified order, <c>\n</c> line ends, no trailing spaces, at most 2 KiB. Every problem is
/// reported (a grant is signed once by a human, so the wallet developer should see them all).
/// Never throws on bad input.
/// </summary>
public static class GrantMessageParser
{
    /// <summary>Largest message in UTF-8 bytes.</summary>
    public const int MaxMessageBytes = 2048;

    /// <summary>Most scope lines a grant may carry.</summary>
    public const int MaxScopes = 16;

    /// <summary>Most methods in one scope line.</summary>
    public const int MaxMethodsPerScope = 16;

    /// <summary>Longest scope path.</summary>
    public const int MaxScopePathLength = 256;

    /// <summary>The first line after the domain of a grant.</summary>
    public const string GrantIntro = " wants you to grant a session key to your account:";

    /// <summary>The first line after the domain of a revocation.</summary>
    public const string RevokeIntro = " wants you to revoke a session key of your account:";

    /// <summary>How a scope line names its maximum route cost: <c>- GET /api/ max-cost=5</c>.</summary>
    public const string MaxCostPrefix = "max-cost=";

    /// <summary>The line that opens the optional scopes of a grant.</summary>
    public const string ScopesHeader = "Scopes:";

    private const string SessionKeyLabel = "Session Key";
    private const string UseCaseLabel = "Use Case";
    private const string ChainIdLabel = "Chain ID";
    private const string NonceLabel = "Nonce";
    private const string IssuedAtLabel = "Issued At";
    private const string ExpirationTimeLabel = "Expiration Time";

    private static readonly string[] GrantFields = [SessionKeyLabel, UseCaseLabel, ChainIdLabel, NonceLabel, IssuedAtLabel, ExpirationTimeLabel];
    private static readonly string[] RevokeFields = [SessionKeyLabel, ChainIdLabel, NonceLabel, IssuedAtLabel];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Parses <paramref name="text"/> as a message of <paramref name="expected"/> kind for accounts of
    /// <paramref name="addressPrefix"/>. On failure <paramref name="errors"/> lists every problem.
    /// </summary>
    public static bool TryParse(string text, GrantMessageKind expected, string addressPrefix, out GrantMessage? message, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(addressPrefix);
        var problems = new List<string>();
        message = null;
        errors = problems;

        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            problems.Add("The message is not valid UTF-8 text (it holds an unpaired surrogate).");
            return false;
        }

        if (byteCount > MaxMessageBytes)
        {
            problems.Add($"The message is {byteCount} bytes; at most {MaxMessageBytes} are allowed.");
            return false;
        }

        if (text.Contains('\r'))
        {
            problems.Add("Lines must end with \\n only; the message contains CR.");
        }

        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length > 0 && char.IsWhiteSpace(lines[i][^1]) && lines[i][^1] != '\r')
            {
                problems.Add($"Line {i + 1} ends with white space.");
            }

            if (lines[i].Any(c => char.IsControl(c) && c != '\r'))
            {
                problems.Add($"Line {i + 1} contains a control character.");
            }
        }

        var cursor = new Cursor(lines);
        string domain = ParseIntro(cursor, expected, problems);
        string account = ParseAccount(cursor, addressPrefix, problems);
        ExpectEmpty(cursor, "after the account", problems);
        string? statement = ParseStatement(cursor, problems);

        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        foreach (string label in expected == GrantMessageKind.Grant ? GrantFields : RevokeFields)
        {
            ReadField(cursor, label, values, problems);
        }

        List<KeyScope> scopes = expected == GrantMessageKind.Grant ? ParseScopes(cursor, problems) : [];
        while (!cursor.AtEnd)
        {
            problems.Add($"Line {cursor.LineNumber}: unexpected line.");
            cursor.Next();
        }

        Bytes32 sessionKey = ParseSessionKey(values, problems);
        string useCase = ParseUseCase(values, problems);
        string chainId = ParseToken(values, ChainIdLabel, 1, 100, c => c is > ' ' and < (char)0x7F, "1 to 100 printable ASCII characters without spaces", problems);
        string nonce = ParseToken(values, NonceLabel, 8, 128, char.IsAsciiLetterOrDigit, "8 to 128 ASCII letters or digits", problems);
        DateTimeOffset issuedAt = ParseTime(values, IssuedAtLabel, problems);
        DateTimeOffset expirationTime = expected == GrantMessageKind.Grant ? ParseTime(values, ExpirationTimeLabel, problems) : default;
        if (expected == GrantMessageKind.Grant && values.ContainsKey(IssuedAtLabel) && values.ContainsKey(ExpirationTimeLabel)
            && issuedAt != default && expirationTime != default && expirationTime <= issuedAt)
        {
            problems.Add("Expiration Time must be after Issued At.");
        }

        if (problems.Count > 0)
        {
            return false;
        }

        message = new GrantMessage
        {
            Kind = expected,
            Domain = domain,
            Account = account,
            Statement = statement,
            SessionKey = sessionKey,
            UseCase = useCase,
            ChainId = chainId,
            Nonce = nonce,
            IssuedAt = issuedAt,
            ExpirationTime = expirationTime,
            Scopes = scopes,
        };
        return true;
    }

    private static string ParseIntro(Cursor cursor, GrantMessageKind expected, List<string> problems)
    {
        string intro = expected == GrantMessageKind.Grant ? GrantIntro : RevokeIntro;
        string line = cursor.Current ?? "";
        cursor.Next();
        if (!line.EndsWith(intro, StringComparison.Ordinal))
        {
            string other = expected == GrantMessageKind.Grant ? RevokeIntro : GrantIntro;
            problems.Add(line.EndsWith(other, StringComparison.Ordinal)
                ? $"Line 1: this is a {(expected == GrantMessageKind.Grant ? "revoke" : "grant")} message; this endpoint takes \"{{domain}}{intro}\"."
                : $"Line 1 must be \"{{domain}}{intro}\".");
            return "";
        }

        string domain = line[..^intro.Length];
        if (domain.Length == 0 || domain.Length > 253 || !domain.All(c => c is > ' ' and < (char)0x7F))
        {
            problems.Add("Line 1: the domain must be 1 to 253 printable ASCII characters without spaces.");
        }

        return domain;
    }

    private static string ParseAccount(Cursor cursor, string addressPrefix, List<string> problems)
    {
        string line = cursor.Current ?? "";
        cursor.Next();
        if (line.Length > Bech32.MaxLength || !AccountAddress.TryNormalize(line, addressPrefix, out string account) || !string.Equals(account, line, StringComparison.Ordinal))
        {
            problems.Add($"Line 2 must be the account: a lowercase bech32 address with prefix \"{addressPrefix}\" and a 20-byte payload.");
            return "";
        }

        return account;
    }

    private static string? ParseStatement(Cursor cursor, List<string> problems)
    {
        string? line = cursor.Current;
        if (line is null || line.StartsWith(SessionKeyLabel + ":", StringComparison.Ordinal) || cursor.Peek(1) is not "")
        {
            return null;
        }

        int number = cursor.LineNumber;
        cursor.Next();
        cursor.Next();
        if (line.Length == 0)
        {
            problems.Add($"Line {number}: the statement, when present, must not be empty.");
        }

        return line;
    }

    private static void ExpectEmpty(Cursor cursor, string where, List<string> problems)
    {
        if (cursor.Current is "")
        {
            cursor.Next();
            return;
        }

        problems.Add($"Line {cursor.LineNumber} must be empty ({where}).");
        if (cursor.Current is { } line && !line.StartsWith(SessionKeyLabel + ":", StringComparison.Ordinal))
        {
            cursor.Next();
        }
    }

    private static void ReadField(Cursor cursor, string label, Dictionary<string, (string, int)> values, List<string> problems)
    {
        string prefix = label + ": ";
        int found = cursor.Find(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (found < 0)
        {
            problems.Add($"The line \"{label}: …\" is missing{(cursor.AtEnd ? "" : $" at line {cursor.LineNumber}")}.");
            return;
        }

        while (cursor.Index < found)
        {
            problems.Add($"Line {cursor.LineNumber}: unexpected line (expected \"{label}: …\").");
            cursor.Next();
        }

        values[label] = (cursor.Current![prefix.Length..], cursor.LineNumber);
        cursor.Next();
    }

    private static List<KeyScope> ParseScopes(Cursor cursor, List<string> problems)
    {
        var scopes = new List<KeyScope>();
        if (cursor.Current is not ScopesHeader)
        {
            return scopes;
        }

        int headerLine = cursor.LineNumber;
        cursor.Next();
        while (cursor.Current is { } line && line.StartsWith("- ", StringComparison.Ordinal))
        {
            if (TryParseScope(line[2..], out KeyScope? scope))
            {
                scopes.Add(scope);
            }
            else
            {
                problems.Add($"Line {cursor.LineNumber}: a scope is \"- [{{METHOD,METHOD}} ]{{path}}[ {MaxCostPrefix}{{n}}]\" with a path starting with '/' (at most {MaxScopePathLength} characters), up to {MaxMethodsPerScope} upper-case methods and a maximum route cost n from 1 to {KeyScope.MaxCostLimit} (no leading zeros).");
            }

            cursor.Next();
        }

        if (scopes.Count == 0 && problems.Count == 0)
        {
            problems.Add($"Line {headerLine}: \"{ScopesHeader}\" must be followed by at least one \"- …\" scope line.");
        }

        if (scopes.Count > MaxScopes)
        {
            problems.Add($"At most {MaxScopes} scopes are allowed.");
        }

        return scopes;
    }

    private static bool TryParseScope(string text, out KeyScope scope)
    {
        scope = new KeyScope("", []);
        string[] parts = text.Split(' ');
        int? maxCost = null;
        if (parts.Length > 1 && parts[^1].StartsWith(MaxCostPrefix, StringComparison.Ordinal))
        {
            if (!TryParseCost(parts[^1].AsSpan(MaxCostPrefix.Length), out int cost))
            {
                return false;
            }

            maxCost = cost;
            parts = parts[..^1];
        }

        string path;
        string[] methods = [];
        switch (parts.Length)
        {
            case 1:
                path = parts[0];
                break;
            case 2:
                methods = parts[0].Split(',');
                path = parts[1];
                break;
            default:
                return false;
        }

        if (path.Length == 0 || path.Length > MaxScopePathLength || path[0] != '/' || !path.All(c => c is > ' ' and < (char)0x7F))
        {
            return false;
        }

        if (methods.Length > MaxMethodsPerScope || methods.Any(m => m.Length == 0 || m.Length > 16 || !m.All(char.IsAsciiLetterUpper)))
        {
            return false;
        }

        if (methods.Distinct(StringComparer.Ordinal).Count() != methods.Length)
        {
            return false;
        }

        scope = new KeyScope(path, methods, maxCost);
        return true;
    }

    // Decimal digits, no sign, no leading zero (one spelling per value), 1 to KeyScope.MaxCostLimit.
    private static bool TryParseCost(ReadOnlySpan<char> digits, out int cost)
    {
        cost = 0;
        if (digits.Length is 0 or > 7 || digits[0] == '0')
        {
            return false;
        }

        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            cost = cost * 10 + (c - '0');
        }

        return cost <= KeyScope.MaxCostLimit;
    }

    private static Bytes32 ParseSessionKey(Dictionary<string, (string Value, int Line)> values, List<string> problems)
    {
        if (!values.TryGetValue(SessionKeyLabel, out var field))
        {
            return default;
        }

        string text = field.Value;
        if (text.Length != 66 || !text.StartsWith("0x", StringComparison.Ordinal) || !Bytes32.TryParseHex(text, out Bytes32 key))
        {
            problems.Add($"Line {field.Line}: Session Key must be 0x followed by 64 hex digits.");
            return default;
        }

        Span<byte> bytes = stackalloc byte[Bytes32.Size];
        key.CopyTo(bytes);
        if (!Ristretto255.TryDecode(bytes, out EdwardsPoint point) || Ristretto255.IsIdentity(point))
        {
            problems.Add($"Line {field.Line}: Session Key is not a valid sr25519 public key (a canonical, non-identity ristretto255 point).");
            return default;
        }

        return key;
    }

    private static string ParseUseCase(Dictionary<string, (string Value, int Line)> values, List<string> problems) =>
        ParseToken(values, UseCaseLabel, 1, 64, c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_', "1 to 64 lowercase letters, digits or '_'", problems);

    private static string ParseToken(Dictionary<string, (string Value, int Line)> values, string label, int min, int max, Func<char, bool> allowed, string rule, List<string> problems)
    {
        if (!values.TryGetValue(label, out var field))
        {
            return "";
        }

        if (field.Value.Length < min || field.Value.Length > max || !field.Value.All(allowed))
        {
            problems.Add($"Line {field.Line}: {label} must be {rule}.");
            return "";
        }

        return field.Value;
    }

    private static DateTimeOffset ParseTime(Dictionary<string, (string Value, int Line)> values, string label, List<string> problems)
    {
        if (!values.TryGetValue(label, out var field))
        {
            return default;
        }

        if (!IsUtcRfc3339(field.Value) || !Rfc3339Timestamp.TryParse(field.Value, out DateTimeOffset time))
        {
            problems.Add($"Line {field.Line}: {label} must be an RFC 3339 UTC time such as 2026-12-02T18:00:00Z (fractional seconds allowed).");
            return default;
        }

        return time;
    }

    // yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z, upper-case T and Z: one spelling per instant class, as EIP-4361 shows them.
    private static bool IsUtcRfc3339(string text)
    {
        if (text.Length < 20 || text.Length > 30 || text[^1] != 'Z')
        {
            return false;
        }

        const string Shape = "dddd-dd-ddTdd:dd:dd";
        for (int i = 0; i < Shape.Length; i++)
        {
            if (Shape[i] == 'd' ? !char.IsAsciiDigit(text[i]) : text[i] != Shape[i])
            {
                return false;
            }
        }

        if (text.Length == 20)
        {
            return true;
        }

        return text[19] == '.' && text.Length - 21 is >= 1 and <= 9 && text.AsSpan(20, text.Length - 21).ContainsAnyExcept("0123456789") == false;
    }

    private sealed class Cursor(string[] lines)
    {
        public int Index { get; private set; }

        public bool AtEnd => Index >= lines.Length;

        public int LineNumber => Index + 1;

        public string? Current => AtEnd ? null : lines[Index];

        public string? Peek(int ahead) => Index + ahead < lines.Length ? lines[Index + ahead] : null;

        public void Next() => Index++;

        public int Find(Func<string, bool> match)
        {
            for (int i = Index; i < lines.Length; i++)
            {
                if (match(lines[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
