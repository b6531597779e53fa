using Microsoft.Extensions.Time.Testing;
using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Testing;
using static SessionGate.Testing.Keys.TestKeys;

namespace SessionGate.Tests.Keys;

public sealed class InMemorySignerKeyDirectoryTests
{
    private readonly FakeTimeProvider _time = new(TestTime.Start);
    private readonly InMemorySignerKeyDirectory _directory;

    public InMemorySignerKeyDirectoryTests() => _directory = new InMemorySignerKeyDirectory(_time);

    [Fact]
    public async Task FindAsync_UnknownKey_ReturnsNull()
    {
        Assert.Null(await _directory.FindAsync(Key(1)));
    }

    [Fact]
    public async Task RegisterAsync_NewKey_ReturnsRegisteredAndStoresRecord()
    {
        KeyScope[] scopes = [new("/api/", ["get", "POST"])];

        KeyRegistrationResult result = await _directory.RegisterAsync(Record(Key(1), Alice, scopes: scopes));

        Assert.Equal(KeyRegistrationResult.Registered, result);
        SignerKeyRecord? found = await _directory.FindAsync(Key(1));
        Assert.NotNull(found);
        Assert.Equal(Alice, found.Account);
        Assert.Equal(NextYear, found.Expires);
        Assert.Equal(_time.GetUtcNow(), found.Created);
        Assert.False(found.Disabled);
        Assert.Null(found.DisabledAt);
        Assert.Equal("/api/", Assert.Single(found.Scopes).Path);
        Assert.Equal(["GET", "POST"], found.Scopes[0].Methods);
    }

    [Fact]
    public async Task RegisterAsync_SameAccountAgain_ReturnsUpdatedWithNewExpiryUseCaseAndScopes()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice));
        DateTimeOffset created = (await _directory.FindAsync(Key(1)))!.Created;
        _time.Advance(TimeSpan.FromHours(1));

        KeyRegistrationResult result = await _directory.RegisterAsync(
            Record(Key(1), Alice, expires: NextYear.AddDays(1), scopes: [new KeyScope("/v2/", [])], useCase: "cli"));

        Assert.Equal(KeyRegistrationResult.Updated, result);
        SignerKeyRecord found = (await _directory.FindAsync(Key(1)))!;
        Assert.Equal(NextYear.AddDays(1), found.Expires);
        Assert.Equal("cli", found.UseCase);
        Assert.Equal("/v2/", Assert.Single(found.Scopes).Path);
        Assert.Equal(created, found.Created);
    }

    [Fact]
    public async Task RegisterAsync_KeyOfAnotherAccount_ReturnsOwnedByAnotherAccountAndKeepsOwner()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice));

        KeyRegistrationResult result = await _directory.RegisterAsync(Record(Key(1), Bob, expires: NextYear.AddDays(5)));

        Assert.Equal(KeyRegistrationResult.OwnedByAnotherAccount, result);
        SignerKeyRecord found = (await _directory.FindAsync(Key(1)))!;
        Assert.Equal(Alice, found.Account);
        Assert.Equal(NextYear, found.Expires);
        Assert.Empty(await _directory.ListByAccountAsync(Bob, 0, 10));
    }

    [Fact]
    public async Task RegisterAsync_AccountInUpperCase_IsTheSameAccount()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice.ToUpperInvariant()));

        Assert.Equal(KeyRegistrationResult.Updated, await _directory.RegisterAsync(Record(Key(1), Alice)));
        Assert.Equal(Alice, (await _directory.FindAsync(Key(1)))!.Account);
        Assert.Single(await _directory.ListByAccountAsync(Alice.ToUpperInvariant(), 0, 10));
    }

    [Theory]
    [InlineData(Alice)]
    [InlineData(Bob)]
    public async Task RegisterAsync_DisabledKey_ReturnsKeyDisabledForEveryAccount(string account)
    {
        await _directory.RegisterAsync(Record(Key(1), Alice));
        await _directory.DisableAsync(Key(1));

        KeyRegistrationResult result = await _directory.RegisterAsync(Record(Key(1), account, expires: NextYear.AddDays(1)));

        Assert.Equal(KeyRegistrationResult.KeyDisabled, result);
        SignerKeyRecord found = (await _directory.FindAsync(Key(1)))!;
        Assert.True(found.Disabled);
        Assert.Equal(Alice, found.Account);
        Assert.Equal(NextYear, found.Expires);
    }

    [Fact]
    public async Task RegisterAsync_RecordMarkedDisabled_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _directory.RegisterAsync(Record(Key(1), Alice) with { Disabled = true }));
        Assert.Null(await _directory.FindAsync(Key(1)));
    }

    [Fact]
    public async Task RegisterAsync_InvalidRecord_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _directory.RegisterAsync(Record(Key(1), " ")));
        await Assert.ThrowsAsync<ArgumentException>(() => _directory.RegisterAsync(Record(Key(1), Alice) with { KeyType = "ed25519" }));
        await Assert.ThrowsAsync<ArgumentException>(() => _directory.RegisterAsync(Record(Key(1), Alice, scopes: [new KeyScope("", [])])));
    }

    [Fact]
    public async Task RegisterAsync_TwentyAccountsInParallel_ExactlyOneOwnsTheKey()
    {
        string[] accounts = [.. Enumerable.Range(0, 20).Select(i => $"kira1account{i:D2}")];

        KeyRegistrationResult[] results = await Task.WhenAll(accounts.Select(a => Task.Run(() => _directory.RegisterAsync(Record(Key(1), a)))));

        Assert.Single(results, r => r == KeyRegistrationResult.Registered);
        Assert.Equal(19, results.Count(r => r == KeyRegistrationResult.OwnedByAnotherAccount));
        string winner = accounts[Array.IndexOf(results, KeyRegistrationResult.Registered)];
        Assert.Equal(winner, (await _directory.FindAsync(Key(1)))!.Account);
    }

    [Fact]
    public async Task DisableAsync_UnknownKey_ReturnsNotFound()
    {
        Assert.Equal(KeyChangeResult.NotFound, await _directory.DisableAsync(Key(1)));
    }

    [Fact]
    public async Task DisableAsync_EnabledKey_ReturnsChangedAndMarksDisabled()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice));
        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(KeyChangeResult.Changed, await _directory.DisableAsync(Key(1)));

        SignerKeyRecord found = (await _directory.FindAsync(Key(1)))!;
        Assert.True(found.Disabled);
        Assert.Equal(_time.GetUtcNow(), found.DisabledAt);
    }

    [Fact]
    public async Task DisableAsync_AlreadyDisabled_ReturnsKeyDisabledAndKeepsDisabledAt()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice));
        await _directory.DisableAsync(Key(1));
        DateTimeOffset? disabledAt = (await _directory.FindAsync(Key(1)))!.DisabledAt;
        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(KeyChangeResult.KeyDisabled, await _directory.DisableAsync(Key(1)));
        Assert.Equal(disabledAt, (await _directory.FindAsync(Key(1)))!.DisabledAt);
    }

    [Fact]
    public async Task SetExpiryAsync_UnknownKey_ReturnsNotFound()
    {
        Assert.Equal(KeyChangeResult.NotFound, await _directory.SetExpiryAsync(Key(1), NextYear));
    }

    [Fact]
    public async Task SetExpiryAsync_EnabledKey_ReturnsChangedAndStoresExpiryInWholeMilliseconds()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice));
        DateTimeOffset expires = NextYear.AddDays(30).AddTicks(12_345);

        Assert.Equal(KeyChangeResult.Changed, await _directory.SetExpiryAsync(Key(1), expires));

        Assert.Equal(NextYear.AddDays(30).AddMilliseconds(1), (await _directory.FindAsync(Key(1)))!.Expires);
    }

    [Fact]
    public async Task SetExpiryAsync_DisabledKey_ReturnsKeyDisabledAndKeepsExpiry()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice));
        await _directory.DisableAsync(Key(1));

        Assert.Equal(KeyChangeResult.KeyDisabled, await _directory.SetExpiryAsync(Key(1), NextYear.AddYears(5)));

        Assert.Equal(NextYear, (await _directory.FindAsync(Key(1)))!.Expires);
    }

    [Fact]
    public async Task ListByAccountAsync_ManyKeys_ReturnsPagesOrderedByPublicKey()
    {
        Bytes32[] keys = [.. Enumerable.Range(0, 25).Select(Key)];
        foreach (Bytes32 key in keys)
        {
            await _directory.RegisterAsync(Record(key, Alice));
        }

        await _directory.RegisterAsync(Record(Key(100), Bob));
        await _directory.DisableAsync(keys[3]);
        string[] expected = [.. keys.Select(k => k.ToHex()).Order(StringComparer.Ordinal)];

        var listed = new List<string>();
        for (int offset = 0; ; offset += 10)
        {
            IReadOnlyList<SignerKeyRecord> page = await _directory.ListByAccountAsync(Alice, offset, 10);
            listed.AddRange(page.Select(r => r.PublicKey.ToHex()));
            if (page.Count < 10)
            {
                break;
            }
        }

        Assert.Equal(expected, listed);
        Assert.True((await _directory.ListByAccountAsync(Alice, 0, 100)).Single(r => r.PublicKey == keys[3]).Disabled);
        Assert.Empty(await _directory.ListByAccountAsync(Alice, 25, 10));
        Assert.Empty(await _directory.ListByAccountAsync("kira1nobody", 0, 10));
    }

    [Fact]
    public async Task ListByAccountAsync_LimitAboveMaximum_ReturnsAtMostMaxPageSize()
    {
        for (int i = 0; i < SignerKeyRules.MaxPageSize + 5; i++)
        {
            await _directory.RegisterAsync(Record(Key(i), Alice));
        }

        Assert.Equal(SignerKeyRules.MaxPageSize, (await _directory.ListByAccountAsync(Alice, 0, int.MaxValue)).Count);
        Assert.Equal(5, (await _directory.ListByAccountAsync(Alice, SignerKeyRules.MaxPageSize, int.MaxValue)).Count);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(0, 0)]
    [InlineData(0, -5)]
    public async Task ListByAccountAsync_InvalidPage_Throws(int offset, int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _directory.ListByAccountAsync(Alice, offset, limit));
    }

    [Fact]
    public async Task RegisterAsync_Origin_IsStoredAndKeptByLaterRegistrations()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice) with { Origin = KeyOrigin.Grant });
        await _directory.RegisterAsync(Record(Key(2), Alice));

        // Re-seeding a granted key from configuration does not make it a configured one.
        Assert.Equal(KeyRegistrationResult.Updated, await _directory.RegisterAsync(Record(Key(1), Alice) with { Origin = KeyOrigin.Config }));

        Assert.Equal(KeyOrigin.Grant, (await _directory.FindAsync(Key(1)))!.Origin);
        Assert.Equal(KeyOrigin.Admin, (await _directory.FindAsync(Key(2)))!.Origin);
    }

    [Fact]
    public async Task RegisterAsync_ScopeMaxCost_IsStored()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice, scopes: [new KeyScope("/api/", ["GET"], 5)]));

        Assert.Equal(5, Assert.Single((await _directory.FindAsync(Key(1)))!.Scopes).MaxCost);
        await Assert.ThrowsAsync<ArgumentException>(() => _directory.RegisterAsync(Record(Key(2), Alice, scopes: [new KeyScope("/api/", [], 0)])));
    }

    public static TheoryData<string> UnusableKeys => new()
    {
        "0000000000000000000000000000000000000000000000000000000000000000", // the identity
        "0100000000000000000000000000000000000000000000000000000000000000", // negative field element: not canonical
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p itself: not a canonical field element
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // not a field element
    };

    [Theory]
    [MemberData(nameof(UnusableKeys))]
    public async Task RegisterAsync_IdentityOrNonCanonicalPoint_IsRefused(string hex)
    {
        Assert.True(Bytes32.TryParseHex(hex, out Bytes32 key));

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => _directory.RegisterAsync(Record(key, Alice)));
        await Assert.ThrowsAsync<ArgumentException>(() => _directory.RegisterNewAsync(Record(key, Alice), 10));

        Assert.Contains("ristretto255", error.Message, StringComparison.Ordinal);
        Assert.Null(await _directory.FindAsync(key));
    }

    [Fact]
    public async Task RegisterNewAsync_UpToTheLimit_ThenTooManyKeys_CountingOnlyLiveKeys()
    {
        Assert.Equal(KeyRegistrationResult.Registered, await _directory.RegisterNewAsync(Record(Key(1), Alice), 2));
        Assert.Equal(KeyRegistrationResult.Registered, await _directory.RegisterNewAsync(Record(Key(2), Alice, expires: TestTime.Start.AddMinutes(1)), 2));
        Assert.Equal(KeyRegistrationResult.TooManyKeys, await _directory.RegisterNewAsync(Record(Key(3), Alice), 2));
        Assert.Equal(KeyRegistrationResult.Registered, await _directory.RegisterNewAsync(Record(Key(4), Bob), 2));

        // An expired key and a disabled key no longer count.
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(KeyRegistrationResult.Registered, await _directory.RegisterNewAsync(Record(Key(3), Alice), 2));
        await _directory.DisableAsync(Key(1));
        Assert.Equal(KeyRegistrationResult.Registered, await _directory.RegisterNewAsync(Record(Key(5), Alice), 2));
        Assert.Null(await _directory.FindAsync(Key(6)));
    }

    [Fact]
    public async Task RegisterNewAsync_ExistingKey_NeverChangesIt()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice));
        await _directory.RegisterAsync(Record(Key(2), Alice));
        await _directory.DisableAsync(Key(2));

        Assert.Equal(KeyRegistrationResult.AlreadyRegistered, await _directory.RegisterNewAsync(Record(Key(1), Alice, useCase: "cli"), 10));
        Assert.Equal(KeyRegistrationResult.OwnedByAnotherAccount, await _directory.RegisterNewAsync(Record(Key(1), Bob), 10));
        Assert.Equal(KeyRegistrationResult.KeyDisabled, await _directory.RegisterNewAsync(Record(Key(2), Alice), 10));
        Assert.Equal(SignerKeyRecord.FrontendSessionKeyUseCase, (await _directory.FindAsync(Key(1)))!.UseCase);
    }

    [Fact]
    public async Task RegisterNewAsync_ThirtyConcurrentGrantsWithLimitTen_ExactlyTenSucceed()
    {
        KeyRegistrationResult[] results = await Task.WhenAll(Enumerable.Range(100, 30).Select(i =>
            Task.Run(() => _directory.RegisterNewAsync(Record(Key(i), Alice), 10))));

        Assert.Equal(10, results.Count(r => r == KeyRegistrationResult.Registered));
        Assert.Equal(20, results.Count(r => r == KeyRegistrationResult.TooManyKeys));
        Assert.Equal(10, (await _directory.ListByAccountAsync(Alice, 0, 100)).Count);
    }
}
