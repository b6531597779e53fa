using SessionGate.RateLimiting.Tiers;

namespace SessionGate.Tests.RateLimiting.Tiers;

public sealed class InMemoryTierOverrideStoreTests
{
    private const string Account = "kira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc50dxs83";

    [Fact]
    public async Task SetAsync_ThenGetAsync_ReturnsTheTier()
    {
        var store = new InMemoryTierOverrideStore();

        await store.SetAsync(Account, "whale");

        Assert.Equal("whale", await store.GetAsync(Account));
    }

    [Fact]
    public async Task SetAsync_Null_RemovesTheOverride()
    {
        var store = new InMemoryTierOverrideStore();
        await store.SetAsync(Account, "whale");

        await store.SetAsync(Account, null);

        Assert.Null(await store.GetAsync(Account));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task GetAsync_AccountCaseDiffers_SameOverride()
    {
        var store = new InMemoryTierOverrideStore();
        await store.SetAsync(Account.ToUpperInvariant(), "holder");

        Assert.Equal("holder", await store.GetAsync(Account));
        Assert.Equal("holder", await store.GetAsync(Account.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("kira1 x")]
    [InlineData("kira1:x")]
    public async Task GetAsync_NotAnAccount_NullWithoutThrowing(string account)
    {
        var store = new InMemoryTierOverrideStore();

        Assert.Null(await store.GetAsync(account));
    }

    [Theory]
    [InlineData("")]
    [InlineData("kira1:x")]
    [InlineData("kira1/x")]
    public async Task SetAsync_NotAnAccount_Throws(string account)
    {
        var store = new InMemoryTierOverrideStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.SetAsync(account, "whale"));
    }

    [Fact]
    public async Task SetAsync_AccountTooLong_Throws()
    {
        var store = new InMemoryTierOverrideStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.SetAsync(new string('q', TierOverrideRules.MaxAccountLength + 1), "whale"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a\"b")]
    [InlineData("a\\b")]
    [InlineData("tier\n")]
    [InlineData("ünicode")]
    public async Task SetAsync_BadTierName_Throws(string tierName)
    {
        var store = new InMemoryTierOverrideStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.SetAsync(Account, tierName));
    }

    [Fact]
    public async Task SetAsync_StoreFull_RefusesNewAccountsButUpdatesExistingOnes()
    {
        var store = new InMemoryTierOverrideStore(maxOverrides: 2);
        await store.SetAsync("kira1a", "holder");
        await store.SetAsync("kira1b", "holder");

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.SetAsync("kira1c", "holder"));
        await store.SetAsync("kira1a", "whale");
        await store.SetAsync("kira1b", null);
        await store.SetAsync("kira1c", "free");

        Assert.Equal("whale", await store.GetAsync("kira1a"));
        Assert.Equal("free", await store.GetAsync("kira1c"));
    }

    [Fact]
    public void GetAsync_AnswersSynchronously()
    {
        Assert.True(new InMemoryTierOverrideStore().GetAsync(Account).IsCompletedSuccessfully);
    }
}
