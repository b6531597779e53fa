using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using SessionGate.Protocol;
using StackExchange.Redis;

namespace SessionGate.Keys.Redis;

/// <summary>
/// The Redis hash form of a <see cref="SignerKeyRecord"/>. Times are Unix milliseconds (UTC) as
/// decimal strings, so Lua and any Redis client can compare them without parsing dates; scopes are
/// JSON (<see cref="KeyJsonContext"/>, <c>maxCost</c> only when set); <c>disabled</c> is <c>0</c> or <c>1</c>;
/// <c>origin</c> is <c>admin</c>, <c>config</c> or <c>grant</c> (absent in records written before it existed: <c>admin</c>).
/// </summary>
internal static class SignerKeyHash
{
    public const string Account = "account";
    public const string KeyType = "type";
    public const string Expires = "expires";
    public const string Created = "created";
    public const string Disabled = "disabled";
    public const string DisabledAt = "disabled_at";
    public const string UseCase = "use_case";
    public const string Scopes = "scopes";
    public const string Origin = "origin";

    /// <summary>Unix milliseconds as stored.</summary>
    public static string WriteTime(DateTimeOffset value) => value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Scopes as stored.</summary>
    public static string WriteScopes(IReadOnlyList<KeyScope> scopes) => JsonSerializer.Serialize(scopes, KeyJsonContext.Default.IReadOnlyListKeyScope);

    /// <summary>Reads a stored record; false when a field is missing or malformed (never throws).</summary>
    public static bool TryRead(Bytes32 publicKey, HashEntry[] fields, [NotNullWhen(true)] out SignerKeyRecord? record)
    {
        record = null;
        string? account = null, keyType = null, useCase = null, scopesJson = null, disabled = null, origin = null;
        long? expires = null, created = null, disabledAt = null;
        foreach (HashEntry field in fields)
        {
            switch ((string?)field.Name)
            {
                case Account: account = field.Value; break;
                case KeyType: keyType = field.Value; break;
                case UseCase: useCase = field.Value; break;
                case Scopes: scopesJson = field.Value; break;
                case Origin: origin = field.Value; break;
                case Disabled: disabled = field.Value; break;
                case Expires: expires = ReadLong(field.Value); break;
                case Created: created = ReadLong(field.Value); break;
                case DisabledAt: disabledAt = ReadLong(field.Value); break;
                default: break;
            }
        }

        if (account is null || keyType is null || useCase is null || scopesJson is null || expires is null || created is null
            || disabled is not ("0" or "1") || !TryReadScopes(scopesJson, out IReadOnlyList<KeyScope>? scopes))
        {
            return false;
        }

        // Records written before origins existed have none: they read as admin (see Register).
        KeyOrigin keyOrigin = KeyOrigin.Admin;
        if (origin is not null && !KeyOrigins.TryParse(origin, out keyOrigin))
        {
            return false;
        }

        record = new SignerKeyRecord
        {
            PublicKey = publicKey,
            Account = account,
            KeyType = keyType,
            Expires = DateTimeOffset.FromUnixTimeMilliseconds(expires.Value),
            Created = DateTimeOffset.FromUnixTimeMilliseconds(created.Value),
            Disabled = disabled == "1",
            DisabledAt = disabledAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
            UseCase = useCase,
            Scopes = scopes,
            Origin = keyOrigin,
        };
        return true;
    }

    private static long? ReadLong(RedisValue value) =>
        long.TryParse((string?)value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed)
        && parsed >= -62_135_596_800_000 && parsed <= 253_402_300_799_999 ? parsed : null;

    private static bool TryReadScopes(string json, [NotNullWhen(true)] out IReadOnlyList<KeyScope>? scopes)
    {
        try
        {
            scopes = JsonSerializer.Deserialize(json, KeyJsonContext.Default.IReadOnlyListKeyScope);
            return scopes is not null && scopes.All(s => s is { Path: not null, Methods: not null } && s.MaxCost is null or (>= 1 and <= KeyScope.MaxCostLimit));
        }
        catch (JsonException)
        {
            scopes = null;
            return false;
        }
    }
}
