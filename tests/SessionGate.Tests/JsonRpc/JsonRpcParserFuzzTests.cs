using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using SessionGate.JsonRpc;
using static SessionGate.Tests.JsonRpc.JsonRpcBodies;

namespace SessionGate.Tests.JsonRpc;

/// <summary>Malformed and hostile bodies: the parser decides every one and never throws.</summary>
public sealed class JsonRpcParserFuzzTests
{
    private static readonly byte[] Valid = Encoding.UTF8.GetBytes("""
        [{"jsonrpc":"2.0","method":"eth_call","params":[{"to":"0x1","data":"0x"},"latest"],"id":1},
         {"jsonrpc":"2.0","method":"status","params":{},"id":"s"},
         {"jsonrpc":"2.0","method":"debug_trace","id":null},
         {"jsonrpc":"2.0","method":"eth_getLogs","params":[{"topics":[["0xa"],null]}]}]
        """);

    [Fact]
    public void Parse_RandomBytes_NeverThrows()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => Decides(bytes)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Parse_RandomStrings_NeverThrows()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text => Decides(Encoding.UTF8.GetBytes(text ?? ""))).QuickCheckThrowOnFailure();
    }

    // Mutations of a valid batch (flipped, dropped, duplicated and inserted bytes, cut short) reach
    // deep into the grammar, where random bytes rarely get; each mutated body is also parsed split
    // into segments, and the two decisions must agree.
    [Fact]
    public void Parse_MutatedValidBatch_NeverThrowsAndAgreesAcrossSegmentations()
    {
        var random = new Random(1474);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] mutated = Mutate(Valid, random);
            JsonRpcBody whole = JsonRpcParser.Parse(mutated, Table(), 100);
            int[] cuts = [.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(0, mutated.Length + 1))];
            JsonRpcBody split = JsonRpcParser.Parse(Segmented(mutated, cuts), Table(), 100);

            Assert.Equal(whole.Status, split.Status);
            Assert.Equal(whole.TotalCost, split.TotalCost);
            Assert.Equal(whole.Calls.Select(IdText), split.Calls.Select(IdText));
            AgreesWithSystemTextJson(mutated, whole);
        }
    }

    private static bool Decides(byte[] bytes)
    {
        JsonRpcBody body = JsonRpcParser.Parse(bytes, Table(), 100);
        return Enum.IsDefined(body.Status) && (body.Status != JsonRpcBodyStatus.Ok || body.TotalCost >= body.Calls.Count);
    }

    // Whatever the parser accepts must be JSON to System.Text.Json too, and what it calls a parse error must not be.
    private static void AgreesWithSystemTextJson(byte[] bytes, JsonRpcBody body)
    {
        bool isJson;
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 128 });
            isJson = true;
        }
        catch (JsonException)
        {
            isJson = false;
        }

        if (body.Status == JsonRpcBodyStatus.ParseError)
        {
            Assert.False(isJson, Encoding.UTF8.GetString(bytes));
        }
        else if (body.Status != JsonRpcBodyStatus.BatchTooLarge)
        {
            Assert.True(isJson, Encoding.UTF8.GetString(bytes));
        }
    }

    private static byte[] Mutate(byte[] source, Random random)
    {
        List<byte> bytes = [.. source];
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.Insert(at, "{}[]\",:\\0e-"u8[random.Next(11)]);
                    break;
                case 3:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, random.Next(1, 40))));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
