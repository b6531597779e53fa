using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Grants;

namespace SessionGate.Tests.Grants;

/// <summary>
/// Known answers from the libraries wallets use (tools/adr036-vectors: Keplr's makeADR36AminoSignDoc
/// and serializeSignDoc, CosmJS's secp256k1 and addresses): valid grants, bit flips, high-S, a key of
/// another account, uncompressed keys, another address prefix.
/// </summary>
public sealed class Adr036VectorTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Grants", "Vectors", "adr036-vectors.json"))).RootElement;

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in Vectors.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Verify_ReferenceVector_GivesTheExpectedOutcome(string name)
    {
        JsonElement vector = Vectors.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        GrantMessageKind kind = vector.GetProperty("kind").GetString() == "revoke" ? GrantMessageKind.Revoke : GrantMessageKind.Grant;

        // A minute after the vectors' Issued At (grants 18:00, the revocation 19:00).
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, kind == GrantMessageKind.Revoke ? 19 : 18, 1, 0, TimeSpan.Zero));
        var verifier = new GrantVerifier(new GrantPolicy { Domain = "app.example.org" }, time);

        GrantVerification result = verifier.Verify(
            kind,
            vector.GetProperty("message").GetString()!,
            Convert.FromBase64String(vector.GetProperty("pub_key").GetString()!),
            Convert.FromBase64String(vector.GetProperty("signature").GetString()!),
            "localnet-1");

        string expected = vector.GetProperty("expected").GetString()!;
        string actual = result.Error == GrantError.None ? "valid" : GrantErrors.Describe(result.Error).Code;
        if (expected == "grant_signer_mismatch_or_malformed")
        {
            Assert.Contains(actual, new[] { "grant_signer_mismatch", "grant_malformed" });
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Create_ReferenceVector_GivesKeplrsSignDocBytes(string name)
    {
        JsonElement vector = Vectors.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        if (vector.GetProperty("sign_doc").ValueKind == JsonValueKind.Null)
        {
            return;
        }

        byte[] doc = Adr036SignDoc.Create(Encoding.UTF8.GetBytes(vector.GetProperty("message").GetString()!), vector.GetProperty("account").GetString()!);

        Assert.Equal(vector.GetProperty("sign_doc").GetString(), Encoding.UTF8.GetString(doc));
    }

    [Fact]
    public void AccountAddressOf_ReferenceWallets_MatchCosmJs()
    {
        foreach (JsonProperty wallet in Vectors.GetProperty("wallets").EnumerateObject())
        {
            byte[] key = Convert.FromHexString(wallet.Value.GetProperty("compressed").GetString()!);
            Assert.Equal(wallet.Value.GetProperty("address").GetString(), CosmosSecp256k1.AccountAddressOf(key, "kira"));
        }
    }

    [Fact]
    public void Verify_NeverThrows_OnArbitraryKeysAndSignatures()
    {
        var random = new Random(7);
        byte[] message = Encoding.UTF8.GetBytes("x");
        for (int i = 0; i < 2000; i++)
        {
            byte[] key = new byte[random.Next(0, 70)];
            byte[] signature = new byte[random.Next(0, 70)];
            random.NextBytes(key);
            random.NextBytes(signature);
            if (key.Length > 0 && random.Next(2) == 0)
            {
                key[0] = 0x02;
            }

            Assert.False(CosmosSecp256k1.Verify(key, message, signature));
        }
    }
}
