using System.Text.Json;
using SessionGate.Grants;
using SessionGate.Protocol;
using SessionGate.Proxy.Cli;

namespace SessionGate.Proxy.Commands;

/// <summary>
/// <c>sessiongate wallet new [--wallet-key HEX | --wallet-key-file PATH|-] [--prefix kira]</c>: a
/// secp256k1 dev wallet (the key type of Cosmos SDK / KIRA accounts) as JSON: its private key, its
/// compressed public key and its bech32 account address. With a key given, derives the rest from it.
/// For development and tests (<c>sessiongate grant</c> signs with it); keep real funds in a real wallet.
/// </summary>
internal sealed class WalletCommand : ICliCommand
{
    private readonly TextReader _stdin;

    public WalletCommand()
        : this(Console.In)
    {
    }

    public WalletCommand(TextReader stdin) => _stdin = stdin;

    public string Name => "wallet";

    public string Usage =>
        "  sessiongate wallet new [--wallet-key HEX | --wallet-key-file PATH|-] [--prefix kira]\n" +
        "                                            secp256k1 dev wallet: {\"private_key\":\"0x…\",\"public_key\":\"0x…\",\"address\":\"kira1…\"}";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || args[0] != "new")
        {
            throw new UsageException("wallet: expected 'wallet new [--wallet-key HEX] [--prefix kira]'");
        }

        var arguments = new CommandArguments("wallet new", [.. args.Skip(1)], new HashSet<string>());
        string prefix = arguments.Optional("prefix") ?? "kira";
        if (prefix.Length == 0 || !prefix.All(char.IsAsciiLetterLower))
        {
            throw new UsageException("wallet new: --prefix must be lowercase letters (e.g. kira)");
        }

        byte[]? given = new GrantSecrets("wallet new", _stdin).Read(arguments, "wallet-key", Adr036Signer.PrivateKeySize);
        byte[] privateKey = given ?? new byte[Adr036Signer.PrivateKeySize];
        try
        {
            arguments.EnsureAllConsumed();
            Adr036Signer? signer;
            if (given is null)
            {
                signer = Adr036Signer.Generate(privateKey);
            }
            else if (!Adr036Signer.TryCreate(privateKey, out signer))
            {
                throw new UsageException("wallet new: --wallet-key is not a valid secp256k1 private key (zero or not below the group order)");
            }

            using (signer)
            {
                string json = JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["private_key"] = HexCodec.Encode(privateKey),
                    ["public_key"] = HexCodec.Encode(signer.PublicKey),
                    ["address"] = signer.AccountAddress(prefix),
                });
                await output.WriteLineAsync(json).ConfigureAwait(false);
                return ExitCodes.Success;
            }
        }
        finally
        {
            Array.Clear(privateKey);
        }
    }
}
