using System.Text.Json;

namespace SessionGate.Balances;

/// <summary>What one page of <c>/cosmos/bank/v1beta1/balances/{address}</c> said about the configured denomination.</summary>
internal enum BalancePageKind
{
    /// <summary>The denomination is on this page (<see cref="BalancePage.Tokens"/>).</summary>
    Found = 0,

    /// <summary>Not on this page; <see cref="BalancePage.NextKey"/> says whether another page follows.</summary>
    NotOnPage = 1,

    /// <summary>Not the expected JSON (<see cref="BalancePage.Reason"/>).</summary>
    Malformed = 2,
}

/// <summary>One page read, with the pagination key of the next page (null on the last page).</summary>
internal readonly record struct BalancePage(BalancePageKind Kind, decimal Tokens, string? NextKey, string? Reason)
{
    public static BalancePage Found(decimal tokens) => new(BalancePageKind.Found, tokens, null, null);

    public static BalancePage NotOnPage(string? nextKey) => new(BalancePageKind.NotOnPage, 0m, nextKey, null);

    public static BalancePage Malformed(string reason) => new(BalancePageKind.Malformed, 0m, null, reason);
}

/// <summary>
/// Reads the bank balances JSON, which Cosmos REST and INTERX (<c>/api/kira/balances/{address}</c>)
/// share: <c>{"balances":[{"denom":"ukex","amount":"100000000"}],"pagination":{"next_key":null,"total":"1"}}</c>.
/// Amounts are decimal strings (a bare JSON integer is accepted too); the denomination is matched
/// exactly (ordinal), and only its first entry counts. Other denominations are ignored, whatever they hold.
/// </summary>
internal static class CosmosBalancesJson
{
    public static BalancePage Read(JsonElement root, string denom, int decimals)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("balances", out JsonElement balances)
            || balances.ValueKind != JsonValueKind.Array)
        {
            return BalancePage.Malformed("no \"balances\" array");
        }

        foreach (JsonElement coin in balances.EnumerateArray())
        {
            if (coin.ValueKind != JsonValueKind.Object
                || !coin.TryGetProperty("denom", out JsonElement coinDenom)
                || coinDenom.ValueKind != JsonValueKind.String)
            {
                return BalancePage.Malformed("a balance without a \"denom\" string");
            }

            if (!coinDenom.ValueEquals(denom))
            {
                continue;
            }

            return TryReadAmount(coin, decimals, out decimal tokens)
                ? BalancePage.Found(tokens)
                : BalancePage.Malformed($"the {denom} amount is not a non-negative integer");
        }

        return TryReadNextKey(root, out string? nextKey) ? BalancePage.NotOnPage(nextKey) : BalancePage.Malformed("\"pagination.next_key\" is not a string");
    }

    private static bool TryReadAmount(JsonElement coin, int decimals, out decimal tokens)
    {
        tokens = 0;
        if (!coin.TryGetProperty("amount", out JsonElement amount))
        {
            return false;
        }

        return amount.ValueKind switch
        {
            JsonValueKind.String => TokenAmount.TryParse(amount.GetString(), decimals, out tokens),
            JsonValueKind.Number => TokenAmount.TryParse(amount.GetRawText(), decimals, out tokens),
            _ => false,
        };
    }

    // Absent pagination, a null or empty next_key: this was the last page.
    private static bool TryReadNextKey(JsonElement root, out string? nextKey)
    {
        nextKey = null;
        if (!root.TryGetProperty("pagination", out JsonElement pagination) || pagination.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (pagination.ValueKind != JsonValueKind.Object || !pagination.TryGetProperty("next_key", out JsonElement key) || key.ValueKind == JsonValueKind.Null)
        {
            return pagination.ValueKind == JsonValueKind.Object;
        }

        if (key.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        string value = key.GetString()!;
        nextKey = value.Length == 0 ? null : value;
        return true;
    }
}
