using System.Security.Cryptography;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.Proxy.Cli;

namespace SessionGate.Proxy.Commands;

/// <summary><c>sessiongate key new [--seed HEX|--seed-file PATH|-]</c>: a session key pair as JSON.</summary>
internal sealed class KeyCommand : ICliCommand
{
    public string Name => "key";

    public string Usage => "  sessiongate key new [--seed HEX|--seed-file PATH|-]          new sr25519 key: {\"seed\":\"0x…\",\"public_key\":\"0x…\"}";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || args[0] != "new")
        {
            throw new UsageException("key: expected 'key new [--seed HEX|--seed-file PATH|-]'");
        }

        var arguments = new CommandArguments("key new", [.. args.Skip(1)], new HashSet<string>());
        byte[] seed = SeedOption.ReadOptional(arguments, Name) ?? RandomNumberGenerator.GetBytes(Sr25519.MiniSecretKeySize);
        arguments.EnsureAllConsumed();

        try
        {
            using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(seed);
            string json = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["seed"] = HexCodec.Encode(seed),
                ["public_key"] = HexCodec.Encode(pair.PublicKey),
            });
            await output.WriteLineAsync(json).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
