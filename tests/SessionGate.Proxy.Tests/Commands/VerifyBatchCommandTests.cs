using System.Text.Json;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Proxy.Tests.Commands;

public sealed class VerifyBatchCommandTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"sessiongate-batch-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task VerifyBatch_MixedInputs_PrintsOneVerdictPerLineInOrderAndExitsOne()
    {
        using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(new byte[32]);
        byte[] message = [1, 2, 3];
        byte[] good = pair.Sign(message);
        byte[] bad = (byte[])good.Clone();
        bad[0] ^= 1;
        byte[] otherContext = pair.Sign("other"u8, message);

        string[] lines =
        [
            Line(pair.PublicKey, message, good, context: null),
            Line(pair.PublicKey, message, bad, context: null),
            "",
            Line(pair.PublicKey, message, otherContext, "other"),
            Line(pair.PublicKey, message, otherContext, "substrate"),
            "{not json",
            "[1,2]",
            """{"public_key":"0x00","message":"","signature":"zz"}""",
            Line(pair.PublicKey, message, good, "substrate"),
        ];
        await File.WriteAllLinesAsync(_file, lines);

        CliResult result = await CliRunner.RunAsync("verify", "--batch", _file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["valid", "invalid", "valid", "invalid", "invalid", "invalid", "invalid", "valid"], result.OutputLines);
    }

    [Fact]
    public async Task VerifyBatch_AllValid_ExitsZero()
    {
        using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)7, 32).ToArray());
        var lines = Enumerable.Range(0, 20)
            .Select(i => new byte[] { (byte)i })
            .Select(m => Line(pair.PublicKey, m, pair.Sign(m), context: null));
        await File.WriteAllLinesAsync(_file, lines);

        CliResult result = await CliRunner.RunAsync("verify", "--batch", _file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(20, result.OutputLines.Length);
        Assert.All(result.OutputLines, l => Assert.Equal("valid", l));
    }

    [Fact]
    public async Task VerifyBatch_ManyBatchesWithScatteredBadLines_KeepsOrderAndLineNumbers()
    {
        // 300 lines span five batches of 64 verified in parallel; bad and malformed lines sit in several.
        using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)9, 32).ToArray());
        int[] bad = [0, 63, 64, 150, 299];
        var lines = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            byte[] message = BitConverter.GetBytes(i);
            byte[] signature = pair.Sign(message);
            if (bad.Contains(i))
            {
                signature[3] ^= 1;
            }

            lines.Add(i == 200 ? "{not json" : Line(pair.PublicKey, message, signature, context: null));
        }

        await File.WriteAllLinesAsync(_file, lines);

        CliResult result = await CliRunner.RunAsync("verify", "--batch", _file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => bad.Contains(i) || i == 200 ? "invalid" : "valid"), result.OutputLines);
        Assert.Contains("line 201: not valid JSON", result.Error, StringComparison.Ordinal);
    }

    private static string Line(ReadOnlySpan<byte> publicKey, byte[] message, byte[] signature, string? context)
    {
        var entry = new Dictionary<string, string>
        {
            ["public_key"] = HexCodec.Encode(publicKey),
            ["message"] = HexCodec.Encode(message, prefix: false),
            ["signature"] = HexCodec.Encode(signature),
        };
        if (context is not null)
        {
            entry["context"] = context;
        }

        return JsonSerializer.Serialize(entry);
    }
}
