using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using SessionGate.Client;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace ProtectedApi.Tests;

/// <summary>The sample in a TestServer, with one test key registered through configuration.</summary>
public sealed class ProtectedApiFactory : WebApplicationFactory<Program>
{
    public static readonly byte[] Seed = Enumerable.Repeat((byte)0x21, 32).ToArray();

    public static readonly string Account = AccountAddress.Encode("kira", Enumerable.Repeat((byte)0x12, 20).ToArray());

    public static string PublicKeyHex
    {
        get
        {
            using Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(Seed);
            return HexCodec.Encode(key.PublicKey);
        }
    }

    /// <summary>
    /// A client that signs every request with <paramref name="key"/> for <paramref name="account"/> (the
    /// client SDK), once the dev chain has produced its first block.
    /// </summary>
    public async Task<HttpClient> CreateSignedClientAsync(Sr25519KeyPair key, string account)
    {
        using (HttpClient plain = CreateClient())
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                using HttpResponseMessage block = await plain.GetAsync(new Uri("/_sessiongate/block", UriKind.Relative), deadline.Token);
                if (block.IsSuccessStatusCode)
                {
                    break;
                }

                await Task.Delay(10, deadline.Token);
            }
        }

        Uri gateway = Server.BaseAddress;
        return new HttpClient(new KiraSessionHandler(key, account, new KiraSessionClientOptions { Gateway = gateway }, Server.CreateHandler()))
        {
            BaseAddress = gateway,
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Index 1: the sample's appsettings.json already registers index 0.
            ["SessionGate:Keys:1:PublicKey"] = PublicKeyHex,
            ["SessionGate:Keys:1:Account"] = Account,
            ["SessionGate:Keys:1:Expires"] = "2099-01-01T00:00:00Z",
        }));
}
