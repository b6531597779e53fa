using System.Globalization;
using System.Security.Cryptography;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.Proxy.Cli;

namespace SessionGate.Proxy.Commands;

/// <summary><c>sessiongate header --seed HEX|--seed-file PATH|- --account ACC --block-hash HASH [--nonce N] [--context TEXT]</c>: a kira_session header value.</summary>
internal sealed class HeaderCommand : ICliCommand
{
    public string Name => "header";

    public string Usage => "  sessiongate header --seed HEX|--seed-file PATH|- --account ACC --block-hash HASH [--nonce N] [--context TEXT]   kira_session header value";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arguments = new CommandArguments(Name, args, new HashSet<string>());
        byte[] seed = SeedOption.ReadRequired(arguments, Name);
        try
        {
            string account = arguments.Required("account");
            if (!Bech32.TryDecode(account, out _, out byte[] payload) || payload.Length != AccountAddress.PayloadSize)
            {
                throw new UsageException("header: --account must be a bech32 account address (e.g. kira1…)");
            }

            string blockHash = arguments.Required("block-hash");
            if (!Bytes32.TryParseHex(blockHash, out _))
            {
                throw new UsageException("header: --block-hash must be 32 bytes of hex (64 hex digits)");
            }

            ulong nonce = 0;
            if (arguments.Optional("nonce") is { } nonceText && !ulong.TryParse(nonceText, NumberStyles.None, CultureInfo.InvariantCulture, out nonce))
            {
                throw new UsageException("header: --nonce must be an unsigned 64-bit decimal integer");
            }

            string context = arguments.Optional("context") ?? "substrate";
            arguments.EnsureAllConsumed();

            using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(seed);
            await output.WriteLineAsync(KiraSessionHeader.Create(pair, account, blockHash, nonce, context)).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
