using System.Text;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Tests.Protocol;

/// <summary>Keeps the worked example of docs/protocol.md true.</summary>
public sealed class ProtocolDocumentTests
{
    private const string ExampleHeader = """{"pubkey":"0x44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f","account":"kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83","block_hash":"0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE","nonce":0,"signature":"0xa2592dd5b7403dc150e47e8a8feeeec24294c8844276ecb50c6cffd99e322d47ce182c390b8ad9f7fe0a593412616bfc9a6e879ef7de36e7249cc59ce202d78d"}""";

    [Fact]
    public void WorkedExample_HeaderParsesVerifiesAndMatchesTheSeed()
    {
        Assert.True(KiraSessionHeader.TryParse(ExampleHeader, "kira", out KiraSessionHeader? header, out string? error), error);
        Assert.True(header!.VerifySignature("substrate"u8));
        Assert.Equal(AccountAddress.Encode("kira", Enumerable.Range(1, 20).Select(i => (byte)i).ToArray()), header.Account);
        Assert.Equal(147, header.GetSignedMessage().Length);

        using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        Assert.Equal(header.PublicKey, new Bytes32(pair.PublicKey));
        Assert.Equal(
            "{\"account\":\"kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83\",\"block_hash\":\"0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE\",\"nonce\":0}",
            Encoding.UTF8.GetString(header.GetSignedMessage()));
    }
}
