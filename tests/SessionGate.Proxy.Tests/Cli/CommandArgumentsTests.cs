using SessionGate.Proxy.Cli;
using SessionGate.Proxy.Demo;

namespace SessionGate.Proxy.Tests.Cli;

public sealed class CommandArgumentsTests
{
    private static readonly HashSet<string> None = [];

    [Fact]
    public void Constructor_RepeatableAndPositional_CollectedInOrder()
    {
        var arguments = new CommandArguments("t", ["--header", "A: 1", "http://x/", "--header=B: 2"], None, new HashSet<string> { "header" }, maxPositional: 1);

        Assert.Equal(["A: 1", "B: 2"], arguments.All("header"));
        Assert.Equal(["http://x/"], arguments.Positional);
        arguments.EnsureAllConsumed();
    }

    [Fact]
    public void Constructor_TooManyPositional_Throws()
    {
        UsageException error = Assert.Throws<UsageException>(() => new CommandArguments("t", ["a", "b"], None, None, maxPositional: 1));

        Assert.Equal("t: unexpected argument 'b'", error.Message);
    }

    [Fact]
    public void Constructor_NonRepeatableTwice_Throws() =>
        Assert.Throws<UsageException>(() => new CommandArguments("t", ["--seed", "1", "--seed", "2"], None, new HashSet<string> { "header" }, maxPositional: 1));

    [Theory]
    [InlineData("/usr/bin/sessiongate", "/usr/bin/sessiongate")]
    [InlineData("/home/me/my apps/sessiongate", "'/home/me/my apps/sessiongate'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("", "''")]
    public void Quote_ShellWords_SafeToPaste(string word, string quoted) => Assert.Equal(quoted, SelfInvocation.Quote(word));
}
