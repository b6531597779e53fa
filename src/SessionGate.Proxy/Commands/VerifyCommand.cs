using System.Text;
using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.Proxy.Cli;

namespace SessionGate.Proxy.Commands;

/// <summary>
/// <c>sessiongate verify --public-key HEX --message-hex HEX --signature HEX [--context TEXT]</c> or
/// <c>sessiongate verify --batch FILE</c> (JSON lines, batch-verified on all cores). Prints <c>valid</c>/<c>invalid</c>; exit 1 if any is invalid.
/// </summary>
internal sealed class VerifyCommand : ICliCommand
{
    private const int BlockSize = 4096;

    public string Name => "verify";

    public string Usage =>
        "  sessiongate verify --public-key HEX --message-hex HEX --signature HEX [--context TEXT]\n" +
        "  sessiongate verify --batch FILE          FILE: JSON lines {\"public_key\",\"message\",\"signature\",\"context\"?}";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arguments = new CommandArguments(Name, args, new HashSet<string>());
        string? batchFile = arguments.Optional("batch");
        if (batchFile is not null)
        {
            arguments.EnsureAllConsumed();
            return await VerifyBatchAsync(batchFile, output, error, cancellationToken).ConfigureAwait(false);
        }

        // Malformed values are usage errors here: the caller typed them. Wrong-length keys and
        // signatures are still passed to the verifier, which answers "invalid" for them.
        byte[] publicKey = arguments.RequiredHexAnyLength("public-key");
        byte[] message = arguments.RequiredHexAnyLength("message-hex");
        byte[] signature = arguments.RequiredHexAnyLength("signature");
        byte[] context = ContextOption.Read(arguments);
        arguments.EnsureAllConsumed();

        bool valid = Sr25519.Verify(publicKey, context, message, signature);
        await output.WriteLineAsync(valid ? "valid" : "invalid").ConfigureAwait(false);
        return valid ? ExitCodes.Success : ExitCodes.VerificationFailed;
    }

    private static async Task<int> VerifyBatchAsync(string path, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        IAsyncEnumerable<string> lines;
        try
        {
            lines = File.ReadLinesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"verify: cannot read --batch file '{path}': {e.Message}");
        }

        // Lines are read in blocks; each block is verified in batches of Sr25519.MaxBatchSize spread
        // over all cores (one multi-scalar multiplication per batch), then printed in input order.
        bool allValid = true;
        int lineNumber = 0;
        var block = new List<BatchEntry>(BlockSize);
        try
        {
            await foreach (string line in lines.ConfigureAwait(false))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                TryParseLine(line, out BatchEntry entry);
                block.Add(entry with { LineNumber = lineNumber });
                if (block.Count == BlockSize)
                {
                    allValid &= await VerifyBlockAsync(block, output, error).ConfigureAwait(false);
                    block.Clear();
                }
            }

            allValid &= await VerifyBlockAsync(block, output, error).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"verify: cannot read --batch file '{path}': {e.Message}");
        }

        return allValid ? ExitCodes.Success : ExitCodes.VerificationFailed;
    }

    private static async Task<bool> VerifyBlockAsync(List<BatchEntry> block, TextWriter output, TextWriter error)
    {
        var items = new Sr25519SignatureItem[block.Count];
        for (int i = 0; i < items.Length; i++)
        {
            BatchEntry e = block[i];
            items[i] = new Sr25519SignatureItem(e.PublicKey, e.Context, e.Message, e.Signature);
        }

        var valid = new bool[items.Length];
        int batches = (items.Length + Sr25519.MaxBatchSize - 1) / Sr25519.MaxBatchSize;
        Parallel.For(0, batches, b =>
        {
            int start = b * Sr25519.MaxBatchSize;
            int length = Math.Min(Sr25519.MaxBatchSize, items.Length - start);
            Sr25519.VerifyEach(items.AsSpan(start, length), valid.AsSpan(start, length));
        });

        bool allValid = true;
        for (int i = 0; i < valid.Length; i++)
        {
            // A line that did not parse carries an error and no signature, so it was verified as invalid.
            if (block[i].Error is { } message)
            {
                await error.WriteLineAsync($"sessiongate verify: line {block[i].LineNumber}: {message}").ConfigureAwait(false);
            }

            allValid &= valid[i];
            await output.WriteLineAsync(valid[i] ? "valid" : "invalid").ConfigureAwait(false);
        }

        return allValid;
    }

    private static bool TryParseLine(string line, out BatchEntry entry)
    {
        entry = new BatchEntry([], [], [], [], null);
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                entry = entry with { Error = "not a JSON object" };
                return false;
            }

            if (!TryHex(root, "public_key", out byte[] publicKey) || !TryHex(root, "message", out byte[] message) || !TryHex(root, "signature", out byte[] signature))
            {
                entry = entry with { Error = "public_key, message and signature must be hex strings" };
                return false;
            }

            byte[] context = Sr25519.SubstrateContext.ToArray();
            if (root.TryGetProperty("context", out JsonElement contextElement))
            {
                if (contextElement.ValueKind != JsonValueKind.String)
                {
                    entry = entry with { Error = "context must be a string" };
                    return false;
                }

                context = Encoding.UTF8.GetBytes(contextElement.GetString()!);
            }

            entry = new BatchEntry(publicKey, message, signature, context, null);
            return true;
        }
        catch (JsonException)
        {
            entry = entry with { Error = "not valid JSON" };
            return false;
        }
    }

    private static bool TryHex(JsonElement root, string name, out byte[] bytes)
    {
        bytes = [];
        return root.TryGetProperty(name, out JsonElement element)
            && element.ValueKind == JsonValueKind.String
            && HexCodec.TryDecode(element.GetString(), out bytes);
    }

    private sealed record BatchEntry(byte[] PublicKey, byte[] Message, byte[] Signature, byte[] Context, string? Error)
    {
        public int LineNumber { get; init; }
    }
}
