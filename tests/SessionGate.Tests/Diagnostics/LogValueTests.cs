using SessionGate.Diagnostics;

namespace SessionGate.Tests.Diagnostics;

public sealed class LogValueTests
{
    public static TheoryData<string, string> Escapes => new()
    {
        { "/api/items", "/api/items" },
        { "/x\r\nwarn: forged", @"/x\r\nwarn: forged" },
        { "a\u001B[31mred", @"a\e[31mred" },
        { "tab\there", @"tab\there" },
        { "nul\0bell\u0007", @"nul\u0000bell\u0007" },
        { "del\u007Fc1\u0085\u009B", @"del\u007fc1\u0085\u009b" },
        { "sep\u2028\u2029", @"sep\u2028\u2029" },
        { @"back\slash\r", @"back\\slash\\r" },
        { "ümlaut ✓", "ümlaut ✓" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Escape_ControlCharacters_BecomeVisibleEscapes(string value, string expected) =>
        Assert.Equal(expected, LogValue.Escape(value));

    [Fact]
    public void Escape_SafeValue_ReturnsTheSameInstance()
    {
        string value = "/api/items?id=1";
        Assert.Same(value, LogValue.Escape(value));
        Assert.Null(LogValue.Escape(null));
    }

    [Fact]
    public void Escape_HugeValue_CutWithEllipsis()
    {
        string escaped = LogValue.Escape(new string('\n', 10_000));

        Assert.EndsWith("…", escaped, StringComparison.Ordinal);
        Assert.InRange(escaped.Length, LogValue.MaxLength, LogValue.MaxLength + 8);
        Assert.DoesNotContain('\n', escaped);
    }
}
