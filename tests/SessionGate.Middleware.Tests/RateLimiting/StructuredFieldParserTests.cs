using SessionGate.Testing.Http;

namespace SessionGate.Middleware.Tests.RateLimiting;

/// <summary>The test kit's strict RFC 9651 List parser rejects what a conforming recipient would (so header tests can fail).</summary>
public sealed class StructuredFieldParserTests
{
    public static TheoryData<string> Malformed => new()
    {
        "\"a\";q=1,",                  // trailing comma
        "\"a\",,\"b\"",                // empty member
        "\"a\";Q=1",                   // uppercase key
        "\"a\";q=1234567890123456",    // 16-digit integer
        "\"a\";q=1.2345",              // 4 fraction digits
        "\"a\";q=",                    // missing value
        "\"a",                         // unterminated string
        "\"a\\n\"",                    // bad escape
        "\"a\";q=1;q=2",               // duplicate parameter
        "\"a\" \"b\"",                 // members not separated by a comma
        "(\"a\")",                     // inner list
        "\"a\";q=?2",                  // bad boolean
        "\"é\"",                       // non-ASCII in a string
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void ParseList_Malformed_Throws(string text)
    {
        Assert.Throws<FormatException>(() => StructuredFieldParser.ParseList(text));
    }

    [Fact]
    public void ParseList_AllBareItemTypes_AreTyped()
    {
        var items = StructuredFieldParser.ParseList(" \"s\";i=-7;d=1.5;b=?0;f, tok/en;x=:AQI=:\t, 42");

        Assert.Equal("s", items[0].Name);
        Assert.Equal(-7L, items[0].Integer("i"));
        Assert.Equal(1.5m, items[0].Parameters["d"]);
        Assert.Equal(false, items[0].Parameters["b"]);
        Assert.Equal(true, items[0].Parameters["f"]);
        Assert.Equal(new StructuredToken("tok/en"), items[1].Value);
        Assert.Equal(new byte[] { 1, 2 }, (byte[])items[1].Parameters["x"]);
        Assert.Equal(42L, items[2].Value);
        Assert.Throws<FormatException>(() => items[1].Name);
    }
}
