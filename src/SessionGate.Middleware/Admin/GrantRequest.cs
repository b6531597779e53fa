using System.Text.Json;
using SessionGate.Chain;
using SessionGate.Keys;
using SessionGate.Protocol;

namespace SessionGate.AspNetCore.Admin;

/// <summary>Parses and validates a grant body (docs/admin-api.md), reporting every error at once.</summary>
internal static class GrantRequest
{
    /// <summary>Longest grant: keys are hot credentials; they must expire within a year.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    public const int MaxScopes = 32;
    public const int MaxMethodsPerScope = 16;
    public const int MaxScopePathLength = 256;
    public const int MaxUseCaseLength = 64;

    public const string PublicKeyUnusableMessage =
        "is not a valid sr25519 public key: the identity or a non-canonical ristretto255 encoding (no signature could verify under it)";

    public static SignerKeyRecord Parse(JsonBody body, string addressPrefix, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        Bytes32 publicKey = default;
        bool unusableKey = false;
        if (body.GetString("publicKey", errors, required: true) is { } keyText)
        {
            if (keyText.Length > 128 || !Bytes32.TryParseHex(keyText, out publicKey))
            {
                errors.Add("publicKey", AdminInput.PublicKeyMessage);
            }
            else if (!SignerKeyRules.IsUsablePublicKey(publicKey))
            {
                // The check verification applies: such a key could be registered but never used.
                errors.Add("publicKey", PublicKeyUnusableMessage);
                unusableKey = true;
            }
        }

        string account = "";
        if (body.GetString("account", errors, required: true) is { } accountText
            && (accountText.Length > 128 || !AccountAddress.TryNormalize(accountText, addressPrefix, out account)))
        {
            errors.Add("account", AdminInput.AccountMessage(addressPrefix));
        }

        DateTimeOffset expires = ParseExpiry(body, errors, now);
        string useCase = ParseUseCase(body, errors);
        List<KeyScope> scopes = ParseScopes(body, errors);
        if (unusableKey && errors.Count == 1)
        {
            // Only the key is wrong: a code of its own, so tools can tell "fix the key" from "fix the body".
            throw new AdminProblemException(400, AdminProblemCodes.PublicKeyInvalid, "The public key is the identity or not a canonical ristretto255 encoding.", errors.ToDictionary());
        }

        errors.ThrowIfAny();
        return new SignerKeyRecord { PublicKey = publicKey, Account = account, Expires = expires, UseCase = useCase, Scopes = scopes };
    }

    private static DateTimeOffset ParseExpiry(JsonBody body, ValidationErrors errors, DateTimeOffset now)
    {
        bool hasExpires = body.Has("expires");
        bool hasTtl = body.Has("ttlSeconds");
        if (hasExpires == hasTtl)
        {
            errors.Add(hasExpires ? "ttlSeconds" : "expires", hasExpires ? "cannot be given together with expires" : "is required (or ttlSeconds)");
            return default;
        }

        if (hasExpires)
        {
            string? text = body.GetString("expires", errors, required: true);
            if (text is null)
            {
                return default;
            }

            if (!Rfc3339Timestamp.TryParse(text, out DateTimeOffset expires))
            {
                errors.Add("expires", "must be an RFC 3339 date-time, e.g. 2027-01-01T00:00:00Z");
            }
            else if (expires <= now)
            {
                errors.Add("expires", "must be in the future");
            }
            else if (expires - now > MaxLifetime)
            {
                errors.Add("expires", $"must be at most {MaxLifetime.TotalDays:0} days away");
            }

            return expires;
        }

        if (!body.TryGet("ttlSeconds", errors, out JsonElement ttl) || ttl.ValueKind != JsonValueKind.Number
            || !ttl.TryGetDouble(out double seconds) || !double.IsFinite(seconds) || seconds <= 0 || seconds > MaxLifetime.TotalSeconds)
        {
            errors.Add("ttlSeconds", $"must be a number of seconds above 0 and at most {MaxLifetime.TotalSeconds:0}");
            return default;
        }

        return now + TimeSpan.FromSeconds(seconds);
    }

    private static string ParseUseCase(JsonBody body, ValidationErrors errors)
    {
        string? useCase = body.GetString("useCase", errors, required: false);
        if (useCase is null)
        {
            return SignerKeyRecord.FrontendSessionKeyUseCase;
        }

        if (useCase.Length is 0 or > MaxUseCaseLength || useCase.AsSpan().ContainsAnyExcept(UseCaseCharacters))
        {
            errors.Add("useCase", $"must be 1 to {MaxUseCaseLength} characters of a-z, 0-9, '_', '.', '-'");
        }

        return useCase;
    }

    private static List<KeyScope> ParseScopes(JsonBody body, ValidationErrors errors)
    {
        var scopes = new List<KeyScope>();
        if (!body.TryGet("scopes", errors, out JsonElement array))
        {
            return scopes;
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() > MaxScopes)
        {
            errors.Add("scopes", $"must be an array of at most {MaxScopes} scopes");
            return scopes;
        }

        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string name = $"scopes[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(name, "must be an object with path and methods");
                continue;
            }

            var scope = new JsonBody(item, name + ".");
            string? path = scope.GetString("path", errors, required: true);
            if (path is not null && (path.Length is 0 or > MaxScopePathLength || path[0] != '/' || path.AsSpan().ContainsAnyExceptInRange('!', '~')))
            {
                errors.Add(name + ".path", $"must start with '/' and be at most {MaxScopePathLength} printable ASCII characters without spaces");
                path = null;
            }

            List<string>? methods = ParseMethods(scope, name + ".methods", errors);
            (bool costValid, int? maxCost) = ParseMaxCost(scope, name + ".maxCost", errors);
            if (path is not null && methods is not null && costValid)
            {
                scopes.Add(new KeyScope(path, methods, maxCost));
            }
        }

        return scopes;
    }

    private static (bool Valid, int? MaxCost) ParseMaxCost(JsonBody scope, string name, ValidationErrors errors)
    {
        if (!scope.TryGet("maxCost", errors, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return (true, null);
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int cost) || cost is < 1 or > KeyScope.MaxCostLimit)
        {
            errors.Add(name, $"must be an integer from 1 to {KeyScope.MaxCostLimit} (the largest route cost the scope covers), or null");
            return (false, null);
        }

        return (true, cost);
    }

    private static List<string>? ParseMethods(JsonBody scope, string name, ValidationErrors errors)
    {
        var methods = new List<string>();
        if (!scope.TryGet("methods", errors, out JsonElement array))
        {
            return methods;
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() > MaxMethodsPerScope)
        {
            errors.Add(name, $"must be an array of at most {MaxMethodsPerScope} HTTP methods");
            return null;
        }

        foreach (JsonElement item in array.EnumerateArray())
        {
            string? method = JsonBody.TryReadString(item, out string text) ? text : null;
            if (!IsMethod(method))
            {
                errors.Add(name, "must hold HTTP method names (1 to 16 letters), e.g. GET");
                return null;
            }

            methods.Add(method!.ToUpperInvariant());
        }

        return methods;
    }

    /// <summary>An HTTP method name as scopes and the validate body accept it: 1 to 16 ASCII letters.</summary>
    public static bool IsMethod(string? method) =>
        method is { Length: > 0 and <= 16 } && !method.AsSpan().ContainsAnyExcept(Letters);

    private static readonly System.Buffers.SearchValues<char> UseCaseCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_.-");

    private static readonly System.Buffers.SearchValues<char> Letters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
}
