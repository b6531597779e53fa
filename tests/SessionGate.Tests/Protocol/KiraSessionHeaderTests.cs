using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using SessionGate.Crypto;
using SessionGate.Protocol;

namespace SessionGate.Tests.Protocol;

public sealed class KiraSessionHeaderTests
{
    [Fact]
    public void Create_ThenParse_VerifiesAndKeepsEveryField()
    {
        using Sr25519KeyPair key = SessionHeaders.Key();
        string account = SessionHeaders.Account();
        string value = KiraSessionHeader.Create(key, account, SessionHeaders.BlockHash, 42);

        Assert.True(KiraSessionHeader.TryParse(value, "kira", out KiraSessionHeader? header, out string? error), error);
        Assert.Equal(new Bytes32(key.PublicKey), header!.PublicKey);
        Assert.Equal(account, header.Account);
        Assert.Equal(SessionHeaders.BlockHash, header.BlockHashText);
        Assert.Equal(42UL, header.Nonce);
        Assert.True(header.VerifySignature("substrate"u8));
        Assert.False(header.VerifySignature("other"u8));
    }

    [Fact]
    public void SignedMessage_IsWhatJsonStringifyProduces()
    {
        string account = SessionHeaders.Account();
        byte[] message = KiraSessionHeader.BuildSignedMessage(account, "ab" + SessionHeaders.BlockHash[2..], 18446744073709551615);
        Assert.Equal($"{{\"account\":\"{account}\",\"block_hash\":\"ab{SessionHeaders.BlockHash[2..]}\",\"nonce\":18446744073709551615}}", Encoding.UTF8.GetString(message));
    }

    [Fact]
    public void VerifySignature_BytesWrappedSignature_IsAccepted()
    {
        using Sr25519KeyPair key = SessionHeaders.Key();
        string account = SessionHeaders.Account();
        byte[] message = KiraSessionHeader.BuildSignedMessage(account, SessionHeaders.BlockHash, 0);
        byte[] signature = key.Sign([.. "<Bytes>"u8, .. message, .. "</Bytes>"u8]);
        string value = SessionHeaders.Raw($"\"{HexCodec.Encode(key.PublicKey)}\"", $"\"{account}\"", $"\"{SessionHeaders.BlockHash}\"", "0", $"\"{HexCodec.Encode(signature)}\"");

        Assert.True(KiraSessionHeader.TryParse(value, "kira", out KiraSessionHeader? header, out _));
        Assert.True(header!.VerifySignature("substrate"u8));
    }

    [Fact]
    public void TryParse_AlternativeSpellings_AreAccepted()
    {
        using Sr25519KeyPair key = SessionHeaders.Key();
        string account = SessionHeaders.Account();
        string lowerHash = SessionHeaders.BlockHash.ToLowerInvariant();
        byte[] signature = key.Sign(KiraSessionHeader.BuildSignedMessage(account, lowerHash, 7));
        string pub = Convert.ToHexString(key.PublicKey);

        // No 0x, upper-case hex, nonce as a decimal string, lower-case block hash, whitespace between tokens.
        string value = " { \"signature\" : \"" + Convert.ToHexString(signature) + "\", \"nonce\":\"7\", \"block_hash\":\"" + lowerHash +
            "\", \"account\":\"" + account + "\", \"pubkey\":\"" + pub + "\" } ";

        Assert.True(KiraSessionHeader.TryParse(value, "kira", out KiraSessionHeader? header, out string? error), error);
        Assert.True(header!.VerifySignature("substrate"u8));
    }

    public static TheoryData<string> Malformed()
    {
        string pk = "\"0x" + new string('1', 64) + "\"";
        string account = "\"" + SessionHeaders.Account() + "\"";
        string hash = "\"" + SessionHeaders.BlockHash + "\"";
        string sig = "\"0x" + new string('2', 128) + "\"";
        return new TheoryData<string>
        {
            "",
            "not json",
            "[]",
            "\"string\"",
            "{}",
            "{" + "\"pubkey\":" + pk + "}",
            SessionHeaders.Raw(pk, account, hash, "0", sig) + "x",
            SessionHeaders.Raw(pk, account, hash, "0", sig) + "{}",
            SessionHeaders.Raw(pk, account, hash, "0", sig)[..^1] + ",\"extra\":1}",
            SessionHeaders.Raw(pk, account, hash, "0", sig)[..^1] + ",\"nonce\":1}",
            SessionHeaders.Raw(pk, account, hash, "0", sig)[..^1] + ",}",
            "/*c*/" + SessionHeaders.Raw(pk, account, hash, "0", sig),
            SessionHeaders.Raw("\"0x" + new string('1', 62) + "\"", account, hash, "0", sig),
            SessionHeaders.Raw("\"0x" + new string('g', 64) + "\"", account, hash, "0", sig),
            SessionHeaders.Raw("123", account, hash, "0", sig),
            SessionHeaders.Raw("null", account, hash, "0", sig),
            SessionHeaders.Raw(pk, "\"cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\"", hash, "0", sig),
            SessionHeaders.Raw(pk, "\"kira1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\"", hash, "0", sig),
            SessionHeaders.Raw(pk, account.ToUpperInvariant()[..5] + account[5..], hash, "0", sig),
            SessionHeaders.Raw(pk, "[" + account + "]", hash, "0", sig),
            SessionHeaders.Raw(pk, account, "\"" + SessionHeaders.BlockHash[2..] + "\"", "0", sig),
            SessionHeaders.Raw(pk, account, "{\"a\":1}", "0", sig),
            SessionHeaders.Raw(pk, account, hash, "-1", sig),
            SessionHeaders.Raw(pk, account, hash, "1.0", sig),
            SessionHeaders.Raw(pk, account, hash, "1e3", sig),
            SessionHeaders.Raw(pk, account, hash, "18446744073709551616", sig),
            SessionHeaders.Raw(pk, account, hash, "\"01\"", sig),
            SessionHeaders.Raw(pk, account, hash, "\"-1\"", sig),
            SessionHeaders.Raw(pk, account, hash, "\" 1\"", sig),
            SessionHeaders.Raw(pk, account, hash, "\"\"", sig),
            SessionHeaders.Raw(pk, account, hash, "true", sig),
            SessionHeaders.Raw(pk, account, hash, "0", "\"0x" + new string('2', 126) + "\""),
            SessionHeaders.Raw(pk, account, hash, "0", "\"0x" + new string('2', 130) + "\""),
            "{\"pubkey\":" + pk + ",\"account\":" + account + ",\"block_hash\":" + hash + ",\"nonce\":0,\"signature\":" + sig + ",\"pad\":\"" + new string('x', 2100) + "\"}",
            new string('[', 5000),
            "{\"pubkey\":{\"a\":{\"b\":{\"c\":1}}}}",
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_MalformedValue_ReturnsFalseWithAReason(string value)
    {
        Assert.False(KiraSessionHeader.TryParse(value, "kira", out KiraSessionHeader? header, out string? error));
        Assert.Null(header);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryParse_RandomBytesAndMutations_NeverThrow()
    {
        using Sr25519KeyPair key = SessionHeaders.Key();
        byte[] valid = Encoding.UTF8.GetBytes(KiraSessionHeader.Create(key, SessionHeaders.Account(), SessionHeaders.BlockHash));
        var random = new Random(3);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = (byte[])valid.Clone();
            int mutations = random.Next(1, 6);
            for (int m = 0; m < mutations; m++)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            KiraSessionHeader.TryParse(input, "kira", out _, out _);
            KiraSessionHeader.TryParse(Encoding.Latin1.GetString(input), "kira", out _, out _);
        }

        Prop.ForAll(ArbMap.Default.ArbFor<string>(), s => !KiraSessionHeader.TryParse(s, "kira", out _, out _)).QuickCheckThrowOnFailure();
    }

    /// <summary>
    /// Any header made by Create verifies, and any single-byte change of the header value is rejected,
    /// except a change of letter case inside pubkey or signature hex (or of its 0x prefix): hex there is
    /// case-insensitive by the protocol, and such a change still names exactly the same key and signature.
    /// </summary>
    [Fact]
    public void Create_AnySingleByteChange_IsRejectedUnlessItOnlyChangesHexCase()
    {
        Prop.ForAll(
            ArbMap.Default.GeneratorFor<byte>().ArrayOf(32).ToArbitrary(),
            ArbMap.Default.GeneratorFor<byte>().ArrayOf(20).ToArbitrary(),
            ArbMap.Default.ArbFor<ulong>(),
            (seed, accountPayload, nonce) =>
            {
                using Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(seed);
                string account = AccountAddress.Encode("kira", accountPayload);
                string value = KiraSessionHeader.Create(key, account, SessionHeaders.BlockHash, nonce);
                if (!Accepted(value, out KiraSessionHeader? original))
                {
                    return false;
                }

                byte[] bytes = Encoding.UTF8.GetBytes(value);
                var random = new Random(seed[0] | (seed[1] << 8));
                for (int trial = 0; trial < 40; trial++)
                {
                    byte[] changed = (byte[])bytes.Clone();
                    int position = random.Next(changed.Length);
                    byte replacement = (byte)random.Next(256);
                    if (replacement == changed[position])
                    {
                        continue;
                    }

                    changed[position] = replacement;
                    if (Accepted(Encoding.Latin1.GetString(changed), out KiraSessionHeader? mutated)
                        && !(OnlyHexCaseChanged(bytes, position, replacement) && SameFields(original!, mutated!)))
                    {
                        return false;
                    }
                }

                return true;
            }).QuickCheckThrowOnFailure();
    }

    private static bool Accepted(string value, out KiraSessionHeader? header) =>
        KiraSessionHeader.TryParse(value, "kira", out header, out _) && header!.VerifySignature("substrate"u8);

    private static bool OnlyHexCaseChanged(byte[] original, int position, byte replacement) =>
        char.ToLowerInvariant((char)original[position]) == char.ToLowerInvariant((char)replacement) && char.IsLetter((char)replacement);

    private static bool SameFields(KiraSessionHeader a, KiraSessionHeader b) =>
        a.PublicKey == b.PublicKey && a.Account == b.Account && a.BlockHashText == b.BlockHashText && a.Nonce == b.Nonce && a.Signature.Span.SequenceEqual(b.Signature.Span);

    [Fact]
    public void Create_BadArguments_Throw()
    {
        using Sr25519KeyPair key = SessionHeaders.Key();
        Assert.Throws<ArgumentException>(() => KiraSessionHeader.Create(key, "not-an-address", SessionHeaders.BlockHash));
        Assert.Throws<ArgumentException>(() => KiraSessionHeader.Create(key, SessionHeaders.Account(), "abc"));
    }

    [Fact]
    public void Create_Output_IsTheDocumentedJsonShape()
    {
        using Sr25519KeyPair key = SessionHeaders.Key();
        using JsonDocument json = JsonDocument.Parse(KiraSessionHeader.Create(key, SessionHeaders.Account(), SessionHeaders.BlockHash, 3));
        Assert.Equal(["pubkey", "account", "block_hash", "nonce", "signature"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("nonce").ValueKind);
    }
}
