using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SessionGate.Testing.Protocol;

/// <summary>
/// Distinct spellings of one signed <c>kira_session</c> header that all carry the same content and the
/// same signed message (so every one of them is valid): the case of each hex letter of pubkey and
/// signature, <c>0x</c> or not (either case), field order, whitespace, JSON <c>\u</c> escapes, nonce as number or decimal string. Spelling number n is
/// unique for n below 2^24 (its low bits choose the signature's letter cases).
/// </summary>
public static class HeaderRespellings
{
    /// <summary>Spelling number <paramref name="n"/> of <paramref name="header"/>.</summary>
    public static string Respell(string header, int n)
    {
        using JsonDocument document = JsonDocument.Parse(header);
        JsonElement root = document.RootElement;
        string pubkey = Strip(root.GetProperty("pubkey").GetString()!);
        string signature = Strip(root.GetProperty("signature").GetString()!);
        string account = root.GetProperty("account").GetString()!;
        string blockHash = root.GetProperty("block_hash").GetString()!;
        string nonce = root.GetProperty("nonce").ValueKind == JsonValueKind.Number
            ? root.GetProperty("nonce").GetRawText()
            : root.GetProperty("nonce").GetString()!;
        var random = new Random(n);

        // The signed message holds account and block_hash as sent, so only their JSON spelling
        // (escapes) may change, never their text; pubkey and signature are free.
        string space = random.Next(3) switch { 0 => "", 1 => " ", _ => "\t " };
        string signatureText = Prefix(random) + CaseByBits(signature, n, 24);
        string pubkeyText = Prefix(random) + CaseByBits(pubkey, random.Next(), 31);
        string[] fields =
        [
            Member("pubkey", Quote(pubkeyText, random)),
            Member("account", Quote(account, random)),
            Member("block_hash", Quote(blockHash, random)),
            Member("nonce", random.Next(2) == 0 ? nonce : "\"" + nonce + "\""),
            Member("signature", Quote(signatureText, random)),
        ];
        random.Shuffle(fields);
        return "{" + space + string.Join("," + space, fields) + space + "}";

        string Member(string name, string value) => "\"" + name + "\"" + space + ":" + space + value;
    }

    private static string Strip(string hex) => hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;

    private static string Prefix(Random random) => random.Next(3) switch { 0 => "", 1 => "0x", _ => "0X" };

    // Letters of the hex string take their case from the bits of value (a letter per bit, in order).
    private static string CaseByBits(string hex, int value, int bits)
    {
        var builder = new StringBuilder(hex.Length);
        int bit = 0;
        foreach (char c in hex.ToLowerInvariant())
        {
            bool letter = c is >= 'a' and <= 'f';
            bool upper = letter && (bit < bits ? ((value >> bit) & 1) == 1 : false);
            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            if (letter)
            {
                bit++;
            }
        }

        return builder.ToString();
    }

    // A JSON string, with a few characters written as \u escapes now and then.
    private static string Quote(string text, Random random)
    {
        var builder = new StringBuilder(text.Length + 8).Append('"');
        bool escape = random.Next(4) == 0;
        foreach (char c in text)
        {
            if (escape && random.Next(8) == 0)
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }
}
