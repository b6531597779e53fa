using Microsoft.Extensions.Options;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.AspNetCore.Configuration;

/// <summary>
/// Validates the whole <c>SessionGate</c> section at start-up and reports every problem at once,
/// each naming its configuration key (like YARP's ConfigValidator), so bad configuration stops the
/// host with a readable message instead of surfacing as errors later.
/// </summary>
internal sealed class SessionGateOptionsValidator : IValidateOptions<SessionGateOptions>
{
    private const string S = SessionGateOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SessionGateOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(options.HeaderName) || !options.HeaderName.All(IsTokenChar))
        {
            errors.Add($"{S}:HeaderName must be a non-empty HTTP header name.");
        }

        if (string.IsNullOrEmpty(options.SigningContext))
        {
            errors.Add($"{S}:SigningContext must not be empty.");
        }

        bool prefixValid = !string.IsNullOrEmpty(options.AddressPrefix) && options.AddressPrefix.Length <= 83 && options.AddressPrefix.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9');
        if (!prefixValid)
        {
            errors.Add($"{S}:AddressPrefix must be 1 to 83 lowercase letters or digits (e.g. \"kira\").");
        }

        if (options.Window <= TimeSpan.Zero || options.Window > TimeSpan.FromDays(1))
        {
            errors.Add($"{S}:Window must be a positive time span of at most 1 day (e.g. \"00:05:00\").");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{S}:ClockSkew must be between 00:00:00 and 00:10:00.");
        }

        if (options.Redis is not null && string.IsNullOrWhiteSpace(options.Redis))
        {
            errors.Add($"{S}:Redis must be a Redis configuration string such as \"127.0.0.1:6379\" (or absent for in-memory stores).");
        }

        if (options.RedisTimeout <= TimeSpan.Zero || options.RedisTimeout > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{S}:RedisTimeout must be between 1 ms and 30 s.");
        }

        if (string.IsNullOrEmpty(options.PathPrefix) || options.PathPrefix[0] != '/' || options.PathPrefix.Length < 2 || options.PathPrefix.EndsWith('/'))
        {
            errors.Add($"{S}:PathPrefix must start with '/' and not end with '/' (e.g. \"/_sessiongate\").");
        }

        if (options.VerdictCacheCapacity < 100 || options.VerdictCacheCapacity > 100_000_000)
        {
            errors.Add($"{S}:VerdictCacheCapacity must be between 100 and 100000000.");
        }

        errors.AddRange((options.Chain ?? new Chain.ChainOptions()).Validate($"{S}:Chain"));
        ValidateClientBlocking(options, errors);
        errors.AddRange((options.Difficulty ?? new()).Validate($"{S}:Difficulty"));
        errors.AddRange(SessionGate.RateLimiting.Tiers.TierPolicyValidation.Validate(options.RateLimiting ?? new(), $"{S}:RateLimiting"));
        ValidateKeys(options, prefixValid, errors);
        ValidateAdmin(options.Admin ?? new AdminOptions(), errors);
        ValidateGrants(options.Grants ?? new GrantsOptions(), (options.RateLimiting ?? new()).Anonymous?.Burst, errors);
        errors.AddRange((options.JsonRpc ?? new SessionGate.JsonRpc.JsonRpcOptions()).Validate($"{S}:JsonRpc"));
        errors.AddRange((options.History ?? new SessionGate.Usage.UsageHistoryOptions()).Validate($"{S}:History"));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateGrants(GrantsOptions grants, int? anonymousBurst, List<string> errors)
    {
        const string G = S + ":Grants";
        if (grants.Domain is { } domain && (domain.Length is 0 or > 253 || !domain.All(c => c is > ' ' and < (char)0x7F)))
        {
            errors.Add($"{G}:Domain must be 1 to 253 printable ASCII characters without spaces (e.g. \"app.example.org\"), or absent to switch grants off.");
        }

        if (grants.ClockSkew <= TimeSpan.Zero || grants.ClockSkew > TimeSpan.FromHours(1))
        {
            errors.Add($"{G}:ClockSkew must be between 00:00:01 and 01:00:00.");
        }

        if (grants.MaxLifetime <= TimeSpan.Zero || grants.MaxLifetime > TimeSpan.FromDays(366))
        {
            errors.Add($"{G}:MaxLifetime must be a positive time span of at most 366 days.");
        }

        if (grants.UseCases is { } useCases && useCases.Any(u => string.IsNullOrEmpty(u) || u.Length > 64 || !u.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
        {
            errors.Add($"{G}:UseCases must be 1 to 64 lowercase letters, digits or '_' each (e.g. \"frontend_session_key\").");
        }

        if (grants.MaxKeysPerAccount < 1 || grants.MaxKeysPerAccount > SessionGate.Keys.SignerKeyRules.MaxPageSize)
        {
            errors.Add($"{G}:MaxKeysPerAccount must be between 1 and {SessionGate.Keys.SignerKeyRules.MaxPageSize}.");
        }

        if (grants.Cost < 1 || (anonymousBurst is { } burst && burst >= 1 && grants.Cost > burst))
        {
            errors.Add($"{G}:Cost must be at least 1 and at most {S}:RateLimiting:Anonymous:Burst, else no grant could ever pass.");
        }
    }

    // The key itself never appears in a message: configuration errors are logged.
    private static void ValidateAdmin(AdminOptions admin, List<string> errors)
    {
        const string Generate = "generate one with `openssl rand -base64 32` (or `openssl rand -hex 32`)";
        if (admin.ApiKey is { } key)
        {
            if (key.Length > 512 || !key.All(c => c is > ' ' and < (char)0x7F))
            {
                errors.Add($"{S}:Admin:ApiKey must be at most 512 printable ASCII characters without spaces (or absent to disable the admin API); {Generate}.");
            }
            else if (key.Length < AdminOptions.MinimumApiKeyLength || AdminKeyStrength.EstimateBits(key) < AdminOptions.MinimumApiKeyBits)
            {
                errors.Add($"{S}:Admin:ApiKey is too weak: it must hold at least {AdminOptions.MinimumApiKeyBits / 8} random bytes' worth "
                    + $"(at least {AdminOptions.MinimumApiKeyLength} characters, e.g. 44 base64 characters or 64 hex digits, without repeated patterns); {Generate}.");
            }
        }

        if (admin.Urls is { } urls && !AdminListener.TryParsePorts(urls, out _))
        {
            errors.Add($"{S}:Admin:Urls must be one or more URLs with an explicit port, separated by ';' (e.g. \"http://127.0.0.1:9090\"), not \"{urls}\".");
        }

        if (admin.FailuresPerMinute < 1)
        {
            errors.Add($"{S}:Admin:FailuresPerMinute must be at least 1.");
        }

        if (admin.MaxBackoff < TimeSpan.FromSeconds(1) || admin.MaxBackoff > TimeSpan.FromDays(1))
        {
            errors.Add($"{S}:Admin:MaxBackoff must be between 00:00:01 and 1 day.");
        }
    }

    private static void ValidateClientBlocking(SessionGateOptions options, List<string> errors)
    {
        Verification.ClientBlockingOptions blocking = options.ClientBlocking ?? new();
        if (blocking.FailureThreshold < 1)
        {
            errors.Add($"{S}:ClientBlocking:FailureThreshold must be at least 1.");
        }

        if (blocking.FailureWindow <= TimeSpan.Zero || blocking.BlockDuration <= TimeSpan.Zero)
        {
            errors.Add($"{S}:ClientBlocking:FailureWindow and BlockDuration must be positive time spans.");
        }

        if (blocking.MaxTrackedClients < 100)
        {
            errors.Add($"{S}:ClientBlocking:MaxTrackedClients must be at least 100.");
        }

        errors.AddRange(Verification.ClientPrefixTable.Validate(blocking, $"{S}:ClientBlocking"));

        int ipv6Prefix = (options.ClientAddresses ?? new()).Ipv6PrefixLength;
        if (ipv6Prefix is < 32 or > 128)
        {
            errors.Add($"{S}:ClientAddresses:Ipv6PrefixLength must be from 32 to 128 (was {ipv6Prefix}).");
        }
    }

    private static void ValidateKeys(SessionGateOptions options, bool prefixValid, List<string> errors)
    {
        var owners = new Dictionary<Bytes32, string>();
        for (int i = 0; i < options.Keys.Count; i++)
        {
            SignerKeyOptions key = options.Keys[i];
            string at = $"{S}:Keys:{i}";
            byte[] publicKey = new byte[Bytes32.Size];
            bool hexValid = HexCodec.TryDecode(key.PublicKey, publicKey);
            bool keyValid = hexValid && Sr25519.IsValidPublicKey(publicKey);
            if (!hexValid)
            {
                errors.Add($"{at}:PublicKey must be a valid sr25519 public key (32 bytes of hex).");
            }
            else if (!keyValid)
            {
                // The same check verification applies: such a key would be registered and never usable.
                errors.Add($"{at}:PublicKey 0x{Convert.ToHexStringLower(publicKey)} is not a valid sr25519 public key: it is the identity or not a canonical ristretto255 encoding, so no signature could ever verify under it.");
            }

            string normalized = "";
            if (prefixValid && !AccountAddress.TryNormalize(key.Account, options.AddressPrefix, out normalized))
            {
                errors.Add($"{at}:Account must be a bech32 account with prefix \"{options.AddressPrefix}\".");
            }

            if (key.Expires is null)
            {
                errors.Add($"{at}:Expires is required (every key expires), e.g. \"2027-01-01T00:00:00Z\".");
            }

            if (string.IsNullOrWhiteSpace(key.UseCase))
            {
                errors.Add($"{at}:UseCase must not be empty.");
            }

            for (int j = 0; j < key.Scopes.Count; j++)
            {
                if (string.IsNullOrEmpty(key.Scopes[j].Path) || key.Scopes[j].Path![0] != '/')
                {
                    errors.Add($"{at}:Scopes:{j}:Path must start with '/'.");
                }

                if (key.Scopes[j].MaxCost is < 1 or > SessionGate.Keys.KeyScope.MaxCostLimit)
                {
                    errors.Add($"{at}:Scopes:{j}:MaxCost must be an integer from 1 to {SessionGate.Keys.KeyScope.MaxCostLimit}.");
                }
            }

            if (keyValid && normalized.Length > 0 && owners.TryGetValue(new Bytes32(publicKey), out string? owner) && owner != normalized)
            {
                errors.Add($"{at}:PublicKey is also listed for another account (one key, one account).");
            }
            else if (keyValid && normalized.Length > 0)
            {
                owners[new Bytes32(publicKey)] = normalized;
            }
        }
    }

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
