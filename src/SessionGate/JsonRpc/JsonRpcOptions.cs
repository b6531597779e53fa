namespace SessionGate.JsonRpc;

/// <summary>
/// The <c>SessionGate:JsonRpc</c> section: how routes marked JSON-RPC (route metadata
/// <c>SessionGate.JsonRpc</c> = <c>true</c>, or <c>.WithJsonRpcMetering()</c>) are metered. Every
/// call of a body is charged its method's cost; a batch costs the sum of its calls.
/// </summary>
public sealed class JsonRpcOptions
{
    /// <summary>The default of <see cref="MaxBodyBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxBodyBytes = 1 << 20;

    /// <summary>Upper bound of <see cref="MaxBodyBytes"/>: 16 MiB (a body is held in memory while it is metered).</summary>
    public const int MaxBodyBytesLimit = 16 << 20;

    /// <summary>Upper bound of <see cref="MaxBatchSize"/> (so a batch's summed cost always fits an <c>int</c>).</summary>
    public const int MaxBatchSizeLimit = 2_000;

    /// <summary>Largest request body read on a JSON-RPC route, in bytes; a larger body is refused with 413. Default 1 MiB.</summary>
    public int MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>Most calls in one batch; a larger batch is refused (-32600). Default 1000.</summary>
    public int MaxBatchSize { get; set; } = 1_000;

    /// <summary>Cost of a method no entry of <see cref="Methods"/> matches. Default 1.</summary>
    public int DefaultCost { get; set; } = 1;

    /// <summary>
    /// Method → cost, e.g. <c>"eth_blockNumber": 10, "eth_call": 26, "eth_get*": 20</c>: an exact name
    /// wins over a prefix entry (<c>name*</c>), the longest prefix over shorter ones.
    /// </summary>
    public Dictionary<string, int> Methods { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Methods refused on every JSON-RPC route (-32601, never forwarded), e.g. <c>["debug_*", "admin_*"]</c>.</summary>
    public List<string> Disabled { get; set; } = [];

    /// <summary>When set, the only methods JSON-RPC routes let through (a whitelist); absent: every method not disabled.</summary>
    public List<string>? Allowed { get; set; }

    /// <summary>Every problem of these settings, each naming its key under <paramref name="section"/>.</summary>
    public IEnumerable<string> Validate(string section)
    {
        if (MaxBodyBytes < 64 || MaxBodyBytes > MaxBodyBytesLimit)
        {
            yield return $"{section}:MaxBodyBytes must be between 64 and {MaxBodyBytesLimit} (16 MiB).";
        }

        if (MaxBatchSize < 1 || MaxBatchSize > MaxBatchSizeLimit)
        {
            yield return $"{section}:MaxBatchSize must be between 1 and {MaxBatchSizeLimit}.";
        }

        if (DefaultCost < 1 || DefaultCost > JsonRpcMethodTable.MaxCost)
        {
            yield return $"{section}:DefaultCost must be between 1 and {JsonRpcMethodTable.MaxCost}.";
        }

        foreach (string problem in ValidateCosts(Methods, $"{section}:Methods"))
        {
            yield return problem;
        }

        foreach (string problem in ValidatePatterns(Disabled, $"{section}:Disabled"))
        {
            yield return problem;
        }

        foreach (string problem in ValidatePatterns(Allowed, $"{section}:Allowed"))
        {
            yield return problem;
        }
    }

    /// <summary>The global method table these settings describe (call after <see cref="Validate"/> found nothing).</summary>
    internal JsonRpcMethodTable ToTable() => new(DefaultCost, Methods ?? [], Disabled ?? [], Allowed);

    /// <summary>Problems of a pattern → cost table, each naming <c>{at}:{pattern}</c>.</summary>
    internal static IEnumerable<string> ValidateCosts(IReadOnlyDictionary<string, int>? costs, string at)
    {
        foreach ((string pattern, int cost) in costs ?? new Dictionary<string, int>())
        {
            if (JsonRpcMethodPattern.Problem(pattern) is { } problem)
            {
                yield return $"{at}: the method pattern \"{Printable(pattern)}\" {problem}.";
            }
            else if (cost < 1 || cost > JsonRpcMethodTable.MaxCost)
            {
                yield return $"{at}:{pattern} must be a cost between 1 and {JsonRpcMethodTable.MaxCost}, not {cost}.";
            }
        }
    }

    /// <summary>Problems of a list of patterns, each naming <c>{at}:{index}</c>.</summary>
    internal static IEnumerable<string> ValidatePatterns(IReadOnlyList<string>? patterns, string at)
    {
        for (int i = 0; i < (patterns?.Count ?? 0); i++)
        {
            if (JsonRpcMethodPattern.Problem(patterns![i]) is { } problem)
            {
                yield return $"{at}:{i} \"{Printable(patterns[i])}\" {problem}.";
            }
        }
    }

    // Configuration errors are logged: keep what is echoed short and printable.
    private static string Printable(string? text)
    {
        string value = text ?? "";
        value = value.Length > 64 ? value[..64] + "…" : value;
        return new string([.. value.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
    }
}
