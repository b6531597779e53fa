using System.Security.Cryptography;
using System.Text;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.Proxy.Cli;

namespace SessionGate.Proxy.Commands;

/// <summary><c>sessiongate sign --seed HEX|--seed-file PATH|- --message-hex HEX [--context TEXT]</c>: 0x + 128 hex.</summary>
internal sealed class SignCommand : ICliCommand
{
    public string Name => "sign";

    public string Usage => "  sessiongate sign --seed HEX|--seed-file PATH|- --message-hex HEX [--context TEXT]   sr25519 signature (0x + 128 hex)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arguments = new CommandArguments(Name, args, new HashSet<string>());
        byte[] seed = SeedOption.ReadRequired(arguments, Name);
        try
        {
            byte[] message = arguments.RequiredHexAnyLength("message-hex");
            byte[] context = ContextOption.Read(arguments);
            arguments.EnsureAllConsumed();

            using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(seed);
            byte[] signature = pair.Sign(context, message);
            await output.WriteLineAsync(HexCodec.Encode(signature)).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}

/// <summary>The shared <c>--context TEXT</c> option: a signing context as UTF-8, default <c>substrate</c>.</summary>
internal static class ContextOption
{
    public static byte[] Read(CommandArguments arguments) =>
        arguments.Optional("context") is { } text ? Encoding.UTF8.GetBytes(text) : Sr25519.SubstrateContext.ToArray();
}
