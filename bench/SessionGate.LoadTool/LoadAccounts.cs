using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.LoadTool;

/// <summary>
/// The benchmark's accounts: key pair and account number <c>i</c> are derived from <c>i</c>, so the
/// <c>config</c> and <c>headers</c> commands agree without a secrets file (these are throw-away keys).
/// </summary>
internal static class LoadAccounts
{
    /// <summary>The limit on accounts: enough for "many accounts", small enough for a settings file.</summary>
    public const int MaxAccounts = 100_000;

    public static Sr25519KeyPair Key(int index) => Sr25519KeyPair.FromMiniSecret(Derive("sessiongate-load-key-", index));

    public static string Account(int index) => AccountAddress.Encode("kira", Derive("sessiongate-load-account-", index).AsSpan(0, AccountAddress.PayloadSize));

    private static byte[] Derive(string label, int index) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(label + index.ToString(CultureInfo.InvariantCulture)));
}
