using System.Text;

namespace SessionGate.Grants;

/// <summary>
/// ADR-036 ("arbitrary message signing", Cosmos SDK) as Keplr's <c>signArbitrary</c> produces it:
/// the amino JSON sign doc of one <c>sign/MsgSignData</c> with empty chain id, zero account number,
/// sequence and fee, keys sorted and no whitespace (Keplr's <c>makeADR36AminoSignDoc</c> +
/// <c>serializeSignDoc</c>). The signed digest is SHA-256 of these bytes.
/// </summary>
public static class Adr036SignDoc
{
    /// <summary>
    /// The sign doc bytes for <paramref name="data"/> signed by <paramref name="signer"/>. The signer
    /// is a bech32 address and the data is base64, so neither needs JSON escaping (amino's escaping
    /// of &lt;, &gt; and &amp; cannot apply).
    /// </summary>
    /// <exception cref="ArgumentException">The signer is not lowercase bech32 characters.</exception>
    public static byte[] Create(ReadOnlySpan<byte> data, string signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (signer.Length == 0 || !signer.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException("The signer must be a lowercase bech32 address.", nameof(signer));
        }

        var json = new StringBuilder(200 + (data.Length * 4 / 3) + signer.Length);
        json.Append("{\"account_number\":\"0\",\"chain_id\":\"\",\"fee\":{\"amount\":[],\"gas\":\"0\"},\"memo\":\"\",")
            .Append("\"msgs\":[{\"type\":\"sign/MsgSignData\",\"value\":{\"data\":\"")
            .Append(Convert.ToBase64String(data))
            .Append("\",\"signer\":\"")
            .Append(signer)
            .Append("\"}}],\"sequence\":\"0\"}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
