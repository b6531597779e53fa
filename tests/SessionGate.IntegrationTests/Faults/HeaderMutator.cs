using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>The mutation classes of the header fuzzer (issue 7: bit flips, truncation, huge values, deep/duplicate JSON, invalid UTF-8, wrong types, random).</summary>
internal enum Mutation
{
    Unchanged,
    BitFlip,
    Truncate,
    HugeValue,
    DeepJson,
    DuplicateKey,
    InvalidUtf8,
    WrongType,
    RandomBytes,
    RandomText,
}

/// <summary>
/// A deterministic header fuzzer: item <c>i</c> of seed <c>s</c> is always the same bytes (its own
/// <see cref="Random"/> seeded from both), whatever order or concurrency the items are sent in. Every
/// item starts from one of the valid headers it is given, so most mutants are "nearly valid" and reach
/// deep into the parser, the signature check, the block feed and the key directory.
/// </summary>
internal sealed class HeaderMutator(IReadOnlyList<string> validHeaders, int seed)
{
    private static readonly string[] Fields = ["pubkey", "account", "block_hash", "nonce", "signature"];

    private static readonly byte[][] InvalidUtf8Sequences =
    [
        [0xFF], [0xFE], [0x80], [0xBF],           // bytes that never occur in UTF-8 / lone continuation
        [0xC0, 0xAF], [0xE0, 0x80, 0xAF],         // overlong encodings of '/'
        [0xED, 0xA0, 0x80],                       // a UTF-16 surrogate encoded as UTF-8
        [0xE2, 0x82], [0xF0, 0x9F, 0x98],         // sequences cut short
        [0xF4, 0x90, 0x80, 0x80],                 // above U+10FFFF
        [0xC3, 0xA9],                             // valid UTF-8 ("é"), but not ASCII
    ];

    private static readonly string[] WrongTypedValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e3", "[]", "{}", "[\"0x00\"]", "{\"a\":1}", "\"\"", "\"0x\"", "\"zz\"",
        "18446744073709551615", "18446744073709551616", "\"18446744073709551616\"", "\"-0\"", "\"01\"", "\" 1\"",
    ];

    /// <summary>How item <paramref name="index"/> is mutated: mostly near-valid mutants, 2% left valid.</summary>
    public static Mutation ClassOf(int index) => (index % 50) switch
    {
        0 => Mutation.Unchanged,
        < 10 => Mutation.BitFlip,
        < 16 => Mutation.Truncate,
        < 21 => Mutation.HugeValue,
        < 26 => Mutation.DeepJson,
        < 31 => Mutation.DuplicateKey,
        < 37 => Mutation.InvalidUtf8,
        < 44 => Mutation.WrongType,
        < 47 => Mutation.RandomBytes,
        _ => Mutation.RandomText,
    };

    /// <summary>The bytes of header value <paramref name="index"/>.</summary>
    public byte[] Create(int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        byte[] valid = Encoding.ASCII.GetBytes(validHeaders[random.Next(validHeaders.Count)]);
        return ClassOf(index) switch
        {
            Mutation.Unchanged => valid,
            Mutation.BitFlip => FlipBits(valid, random),
            Mutation.Truncate => valid[..random.Next(valid.Length)],
            Mutation.HugeValue => HugeValue(valid, random),
            Mutation.DeepJson => DeepJson(valid, random),
            Mutation.DuplicateKey => DuplicateKey(valid, random),
            Mutation.InvalidUtf8 => InvalidUtf8(valid, random),
            Mutation.WrongType => Replace(valid, random, WrongTypedValues[random.Next(WrongTypedValues.Length)]),
            Mutation.RandomBytes => RandomBytes(random),
            _ => RandomText(random),
        };
    }

    /// <summary>
    /// The header as the string HttpClient sends byte for byte with a Latin-1 header encoding. NUL, CR
    /// and LF cannot be carried inside a header field on the wire (they end the line, RFC 9110 §5.5),
    /// so they become DEL: the fuzzer tests SessionGate, not HTTP/1.1 framing.
    /// </summary>
    public static string ToWireString(byte[] header)
    {
        var text = new StringBuilder(header.Length);
        foreach (byte b in header)
        {
            text.Append(b is 0x00 or 0x0A or 0x0D ? '\x7F' : (char)b);
        }

        return text.ToString();
    }

    private static byte[] FlipBits(byte[] valid, Random random)
    {
        byte[] mutant = (byte[])valid.Clone();
        int flips = 1 + random.Next(4);
        for (int i = 0; i < flips; i++)
        {
            mutant[random.Next(mutant.Length)] ^= (byte)(1 << random.Next(8));
        }

        return mutant;
    }

    private static byte[] HugeValue(byte[] valid, Random random)
    {
        // Sizes below Kestrel's 32 KiB header limit (beyond it Kestrel answers 431 before SessionGate runs).
        int size = random.Next(4) switch { 0 => 2049, 1 => 4096, 2 => 16_000, _ => 1 + random.Next(2048) };
        string huge = random.Next(6) switch
        {
            0 => new string('9', size),                                           // a number far beyond u64
            1 => "\"" + new string('a', size) + "\"",                             // a long string
            2 => "\"0x" + new string('f', size) + "\"",                           // long hex
            3 => "1e" + new string('9', Math.Min(size, 400)),                     // exponent overflow
            4 => "-" + new string('9', size),
            _ => "\"" + string.Concat(Enumerable.Repeat("\\u0041", size / 6 + 1)) + "\"", // escapes
        };
        // Padding past 2 KiB goes inside the object: HTTP drops whitespace around a header value.
        return random.Next(5) == 0
            ? Encoding.ASCII.GetBytes("{" + new string(' ', size) + Encoding.ASCII.GetString(valid)[1..])
            : Replace(valid, random, huge);
    }

    private static byte[] DeepJson(byte[] valid, Random random)
    {
        // At most ~24 KiB of text: below Kestrel's 32 KiB header limit.
        bool arrays = random.Next(2) == 0;
        int depth = random.Next(3) switch { 0 => 65, 1 => 1_000, _ => arrays ? 8_000 : 4_000 };
        string nested = arrays
            ? new string('[', depth) + "0" + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "0" + new string('}', depth);
        return random.Next(2) == 0 ? Encoding.ASCII.GetBytes(nested) : Replace(valid, random, nested);
    }

    private static byte[] DuplicateKey(byte[] valid, Random random)
    {
        List<(string Name, string Value)> fields = Split(valid);
        (string name, string value) = fields[random.Next(fields.Count)];
        switch (random.Next(4))
        {
            case 0:
                fields.Add((name, value));                                          // the same field twice
                break;
            case 1:
                fields.Insert(0, (name, "\"" + new string('0', 64) + "\""));          // a decoy value first
                break;
            case 2:
                fields.Add(("extra", "1"));                                         // an unknown field
                break;
            default:
                fields.RemoveAt(random.Next(fields.Count));                         // a missing field
                break;
        }

        return Join(fields);
    }

    private static byte[] InvalidUtf8(byte[] valid, Random random)
    {
        var mutant = new List<byte>(valid);
        int count = 1 + random.Next(3);
        for (int i = 0; i < count; i++)
        {
            mutant.InsertRange(random.Next(mutant.Count + 1), InvalidUtf8Sequences[random.Next(InvalidUtf8Sequences.Length)]);
        }

        return [.. mutant];
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(600)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] RandomText(Random random)
    {
        const string alphabet = "{}[]\":,0123456789abcdefxABCDEF kira1 \\u-+.eE";
        char[] text = new char[random.Next(300)];
        for (int i = 0; i < text.Length; i++)
        {
            text[i] = alphabet[random.Next(alphabet.Length)];
        }

        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>The valid header with one field's value replaced by raw JSON text.</summary>
    private static byte[] Replace(byte[] valid, Random random, string rawValue)
    {
        List<(string Name, string Value)> fields = Split(valid);
        int at = random.Next(fields.Count);
        fields[at] = (fields[at].Name, rawValue);
        return Join(fields);
    }

    private static List<(string Name, string Value)> Split(byte[] valid)
    {
        using JsonDocument document = JsonDocument.Parse(valid);
        return [.. Fields.Select(name => (name, document.RootElement.GetProperty(name).GetRawText()))];
    }

    private static byte[] Join(List<(string Name, string Value)> fields) =>
        Encoding.ASCII.GetBytes("{" + string.Join(',', fields.Select(f => "\"" + f.Name + "\":" + f.Value)) + "}");

    /// <summary>A short description for failure messages.</summary>
    public static string Describe(byte[] header) =>
        header.Length <= 200
            ? Convert.ToHexString(header)
            : Convert.ToHexString(header.AsSpan(0, 200)) + "… (" + header.Length.ToString(CultureInfo.InvariantCulture) + " bytes)";
}
