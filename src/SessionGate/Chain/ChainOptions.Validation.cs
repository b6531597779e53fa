namespace SessionGate.Chain;

public sealed partial record ChainOptions
{
    // Task.Delay and PeriodicTimer reject periods above ~49.7 days; a day is far beyond any sane setting.
    private static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(1);

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

        string tendermint = section + ":Tendermint";
        TendermintOptions tm = Tendermint ?? new TendermintOptions();
        RequirePeriod(errors, $"{tendermint}:RequestTimeout", tm.RequestTimeout);
        RequirePeriod(errors, $"{tendermint}:NegativeCacheTtl", tm.NegativeCacheTtl);
        RequireRange(errors, $"{tendermint}:NegativeCacheCapacity", tm.NegativeCacheCapacity, 2, 100_000_000);
        RequireRange(errors, $"{tendermint}:MaxBackfillPerPoll", tm.MaxBackfillPerPoll, 0, 10_000);
        RequireRange(errors, $"{tendermint}:MaxConcurrentLookups", tm.MaxConcurrentLookups, 1, 100_000);
        return errors;
    }

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
