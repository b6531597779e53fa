namespace SessionGate.Chain;

public sealed partial record ChainOptions
{
    // Task.Delay and PeriodicTimer reject periods above ~49.7 days; a day is far beyond any sane setting.
    private static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(1);

    // Decimal places of a denomination: 10^18 base units still fit 64 bits (see TokenAmount).
    private const int MaxDecimals = Balances.TokenAmount.MaxDecimals;

    /// <summary>
    /// Checks every setting without stopping at the first problem and returns one message per
    /// problem, each naming its configuration key (e.g. <c>SessionGate:Chain:RpcUrl must be an
    /// absolute http(s) URL</c>). An empty list means the options are usable.
    /// </summary>
    /// <param name="section">The configuration path these options were bound from.</param>
    public IReadOnlyList<string> Validate(string section = SectionName)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Mode))
        {
            errors.Add($"{section}:Mode must be Dev or Tendermint.");
        }

        if (Mode == ChainMode.Tendermint && !IsHttpUrl(RpcUrl))
        {
            errors.Add($"{section}:RpcUrl must be an absolute http(s) URL (required in Tendermint mode).");
        }

        if (ChainId is not null && !TendermintJson.IsChainId(ChainId))
        {
            errors.Add($"{section}:ChainId must be 1 to {TendermintJson.MaxChainIdLength} ASCII letters, digits, '-', '_' or '.'.");
        }

        RequirePeriod(errors, $"{section}:PollInterval", PollInterval);
        RequirePeriod(errors, $"{section}:Retention", Retention);
        RequirePeriod(errors, $"{section}:HealthyBlockAge", HealthyBlockAge);
        if (Retention > TimeSpan.Zero && PollInterval > TimeSpan.Zero && Retention <= PollInterval)
        {
            errors.Add($"{section}:Retention must be longer than {section}:PollInterval.");
        }

        string dev = section + ":Dev";
        DevChainOptions devOptions = Dev ?? new DevChainOptions();
        RequirePeriod(errors, $"{dev}:BlockInterval", devOptions.BlockInterval);
        if (string.IsNullOrWhiteSpace(devOptions.ChainId) || devOptions.ChainId.Length > 100)
        {
            errors.Add($"{dev}:ChainId must be 1 to 100 characters.");
        }

        ValidateBalanceSettings(errors, section, devOptions);

        string tendermint = section + ":Tendermint";
        TendermintOptions tm = Tendermint ?? new TendermintOptions();
        RequirePeriod(errors, $"{tendermint}:RequestTimeout", tm.RequestTimeout);
        RequirePeriod(errors, $"{tendermint}:NegativeCacheTtl", tm.NegativeCacheTtl);
        RequireRange(errors, $"{tendermint}:NegativeCacheCapacity", tm.NegativeCacheCapacity, 2, 100_000_000);
        RequireRange(errors, $"{tendermint}:MaxBackfillPerPoll", tm.MaxBackfillPerPoll, 0, 10_000);
        RequireRange(errors, $"{tendermint}:MaxConcurrentLookups", tm.MaxConcurrentLookups, 1, 100_000);
        return errors;
    }

    // Balance settings (RestUrl, Denom, Decimals, Dev:Accounts): see DESIGN §5 and SessionGate.Balances.
    private void ValidateBalanceSettings(List<string> errors, string section, DevChainOptions devOptions)
    {
        if (RestUrl is not null && !IsRestUrl(RestUrl))
        {
            errors.Add($"{section}:RestUrl must be an absolute http(s) URL without query, such as \"http://127.0.0.1:1317\", "
                + "or a template whose path holds {address} once, such as \"https://interx.example/api/kira/balances/{address}\".");
        }

        if (!IsDenom(Denom))
        {
            errors.Add($"{section}:Denom must be a bank denomination such as \"ukex\" (3 to 128 characters: a letter, then letters, digits, '/', ':', '.', '_' or '-').");
        }

        if (Decimals is < 0 or > MaxDecimals)
        {
            errors.Add($"{section}:Decimals must be between 0 and {MaxDecimals}, not {Decimals}.");
        }

        IReadOnlyList<DevAccountBalance> accounts = devOptions.Accounts ?? [];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < accounts.Count; i++)
        {
            string at = $"{section}:Dev:Accounts:{i}";
            DevAccountBalance? entry = accounts[i];
            if (entry is null || !Protocol.Bech32.TryDecode(entry.Account, out _, out byte[] payload) || payload.Length != Protocol.AccountAddress.PayloadSize)
            {
                errors.Add($"{at}:Account must be a bech32 account address with a 20-byte payload (e.g. \"kira1…\").");
            }
            else if (!seen.Add(entry.Account))
            {
                errors.Add($"{at}:Account is listed more than once.");
            }

            if (entry is not null && entry.Balance < 0)
            {
                errors.Add($"{at}:Balance must not be negative (whole tokens), not {entry.Balance}.");
            }
        }
    }

    // A base URL, or a template with "{address}" once in its path (not in the host).
    private static bool IsRestUrl(string value)
    {
        const string Placeholder = "{address}";
        int at = value.IndexOf(Placeholder, StringComparison.Ordinal);
        if (at < 0)
        {
            return IsHttpUrl(value) && value.IndexOfAny(['{', '}']) < 0;
        }

        string rest = value.Remove(at, Placeholder.Length);
        if (rest.IndexOfAny(['{', '}']) >= 0)
        {
            return false;
        }

        string withA = value.Replace(Placeholder, "a", StringComparison.Ordinal);
        string withB = value.Replace(Placeholder, "b", StringComparison.Ordinal);
        return IsHttpUrl(withA) && IsHttpUrl(withB)
            && new Uri(withA).Authority == new Uri(withB).Authority
            && new Uri(withA).AbsolutePath != new Uri(withB).AbsolutePath;
    }

    // Cosmos SDK's denomination rule: [a-zA-Z][a-zA-Z0-9/:._-]{2,127}.
    private static bool IsDenom(string? value) =>
        value is { Length: >= 3 and <= 128 }
        && char.IsAsciiLetter(value[0])
        && value.AsSpan(1).IndexOfAnyExcept(DenomCharacters) < 0;

    private static readonly System.Buffers.SearchValues<char> DenomCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:._-");

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);

    private static void RequirePeriod(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > MaxPeriod)
        {
            errors.Add($"{key} must be a positive time span of at most 1 day (e.g. \"00:00:05\"), not {value}.");
        }
    }

    private static void RequireRange(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max}, not {value}.");
        }
    }
}
