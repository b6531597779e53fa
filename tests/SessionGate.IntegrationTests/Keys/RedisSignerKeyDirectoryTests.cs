using SessionGate.Keys;
using SessionGate.Keys.Redis;
using SessionGate.Protocol;
using StackExchange.Redis;
using static SessionGate.Testing.Keys.TestKeys;

namespace SessionGate.IntegrationTests.Keys;

/// <summary>The directory rules, through a real Redis.</summary>
public sealed class RedisSignerKeyDirectoryTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private DirectoryInstance _instance = null!;

    private RedisSignerKeyDirectory Directory => _instance.Directory;

    public async Task InitializeAsync() => _instance = await DirectoryInstance.StartAsync(redis.Server, RedisServerFixture.NewPrefix(), runWorker: false);

    public async Task DisposeAsync() => await _instance.DisposeAsync();

    [Fact]
    public async Task FindAsync_UnknownKey_ReturnsNull()
    {
        Assert.Null(await Directory.FindAsync(Key(1)));
    }

    [Fact]
    public async Task RegisterAsync_NewKey_ReturnsRegisteredAndRoundTripsEveryField()
    {
        SignerKeyRecord record = Record(Key(1), Alice, expires: NextYear.AddTicks(5), scopes: [new KeyScope("/api/", ["get"]), new KeyScope("/admin/", [])], useCase: "cli");

        Assert.Equal(KeyRegistrationResult.Registered, await Directory.RegisterAsync(record));

        await using DirectoryInstance other = await DirectoryInstance.StartAsync(redis.Server, _instance.Connection.Options.KeyPrefix, runWorker: false);
        SignerKeyRecord? found = await other.Directory.FindAsync(Key(1));
        Assert.NotNull(found);
        Assert.Equal(Alice, found.Account);
        Assert.Equal(SignerKeyRecord.Sr25519KeyType, found.KeyType);
        Assert.Equal(NextYear, found.Expires);
        Assert.Equal("cli", found.UseCase);
        Assert.False(found.Disabled);
        Assert.Null(found.DisabledAt);
        Assert.True(found.Created > DateTimeOffset.UnixEpoch);
        Assert.Equal(["/api/", "/admin/"], found.Scopes.Select(s => s.Path));
        Assert.Equal(["GET"], found.Scopes[0].Methods);
        Assert.Empty(found.Scopes[1].Methods);
    }

    [Fact]
    public async Task RegisterAsync_NewKey_StoresTheDocumentedLayout()
    {
        await Directory.RegisterAsync(Record(Key(1), Alice, scopes: [new KeyScope("/api/", ["GET"])]));
        IDatabase db = _instance.Connection.Database;
        string hex = Key(1).ToHex()[2..];

        HashEntry[] fields = await db.HashGetAllAsync(_instance.Connection.Key("{keys}:key:" + hex));
        var byName = fields.ToDictionary(f => (string)f.Name!, f => (string?)f.Value);
        Assert.Equal(Alice, byName["account"]);
        Assert.Equal(NextYear.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), byName["expires"]);
        Assert.Equal("0", byName["disabled"]);
        Assert.Equal("""[{"path":"/api/","methods":["GET"]}]""", byName["scopes"]);
        Assert.Equal("admin", byName["origin"]);
        Assert.Equal([hex], (await db.SortedSetRangeByRankAsync(_instance.Connection.Key("{keys}:account:" + Alice))).Select(v => (string?)v));
        Assert.Equal(1, (long)await db.StringGetAsync(_instance.Connection.Key("{keys}:generation")));
    }

    [Fact]
    public async Task RegisterAsync_SameAccountAgain_ReturnsUpdated()
    {
        await Directory.RegisterAsync(Record(Key(1), Alice));
        DateTimeOffset created = (await Directory.FindAsync(Key(1)))!.Created;

        KeyRegistrationResult result = await Directory.RegisterAsync(Record(Key(1), Alice, expires: NextYear.AddDays(1), scopes: [new KeyScope("/v2/", [])], useCase: "cli"));

        Assert.Equal(KeyRegistrationResult.Updated, result);
        SignerKeyRecord found = (await Directory.FindAsync(Key(1)))!;
        Assert.Equal(NextYear.AddDays(1), found.Expires);
        Assert.Equal("cli", found.UseCase);
        Assert.Equal("/v2/", Assert.Single(found.Scopes).Path);
        Assert.Equal(created, found.Created);
    }

    [Fact]
    public async Task RegisterAsync_KeyOfAnotherAccount_ReturnsOwnedByAnotherAccount()
    {
        await Directory.RegisterAsync(Record(Key(1), Alice));

        Assert.Equal(KeyRegistrationResult.OwnedByAnotherAccount, await Directory.RegisterAsync(Record(Key(1), Bob)));

        Assert.Equal(Alice, (await Directory.FindAsync(Key(1)))!.Account);
        Assert.Empty(await Directory.ListByAccountAsync(Bob, 0, 10));
    }

    [Theory]
    [InlineData(Alice)]
    [InlineData(Bob)]
    public async Task RegisterAsync_DisabledKey_ReturnsKeyDisabledForEveryAccount(string account)
    {
        await Directory.RegisterAsync(Record(Key(1), Alice));
        await Directory.DisableAsync(Key(1));

        Assert.Equal(KeyRegistrationResult.KeyDisabled, await Directory.RegisterAsync(Record(Key(1), account, expires: NextYear.AddDays(1))));

        SignerKeyRecord found = (await Directory.FindAsync(Key(1)))!;
        Assert.True(found.Disabled);
        Assert.Equal(NextYear, found.Expires);
    }

    [Fact]
    public async Task RegisterAsync_TwentyAccountsInParallelFromFourInstances_ExactlyOneOwnsTheKey()
    {
        string prefix = _instance.Connection.Options.KeyPrefix;
        DirectoryInstance[] instances = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DirectoryInstance.StartAsync(redis.Server, prefix, runWorker: false)));
        try
        {
            string[] accounts = [.. Enumerable.Range(0, 20).Select(i => $"kira1account{i:D2}")];

            KeyRegistrationResult[] results = await Task.WhenAll(accounts.Select((account, i) =>
                Task.Run(() => instances[i % instances.Length].Directory.RegisterAsync(Record(Key(1), account)))));

            Assert.Single(results, r => r == KeyRegistrationResult.Registered);
            Assert.Equal(19, results.Count(r => r == KeyRegistrationResult.OwnedByAnotherAccount));
            string winner = accounts[Array.IndexOf(results, KeyRegistrationResult.Registered)];
            Assert.Equal(winner, (await Directory.FindAsync(Key(1)))!.Account);
            foreach (string account in accounts)
            {
                Assert.Equal(account == winner ? 1 : 0, (await Directory.ListByAccountAsync(account, 0, 10)).Count);
            }
        }
        finally
        {
            foreach (DirectoryInstance instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task DisableAsync_EachState_ReturnsNotFoundChangedThenKeyDisabled()
    {
        Assert.Equal(KeyChangeResult.NotFound, await Directory.DisableAsync(Key(1)));
        await Directory.RegisterAsync(Record(Key(1), Alice));

        Assert.Equal(KeyChangeResult.Changed, await Directory.DisableAsync(Key(1)));
        SignerKeyRecord disabled = (await Directory.FindAsync(Key(1)))!;
        Assert.True(disabled.Disabled);
        Assert.NotNull(disabled.DisabledAt);

        Assert.Equal(KeyChangeResult.KeyDisabled, await Directory.DisableAsync(Key(1)));
        Assert.Equal(disabled.DisabledAt, (await Directory.FindAsync(Key(1)))!.DisabledAt);
    }

    [Fact]
    public async Task SetExpiryAsync_EachState_ReturnsNotFoundChangedThenKeyDisabled()
    {
        Assert.Equal(KeyChangeResult.NotFound, await Directory.SetExpiryAsync(Key(1), NextYear));
        await Directory.RegisterAsync(Record(Key(1), Alice));

        Assert.Equal(KeyChangeResult.Changed, await Directory.SetExpiryAsync(Key(1), NextYear.AddDays(3)));
        Assert.Equal(NextYear.AddDays(3), (await Directory.FindAsync(Key(1)))!.Expires);

        await Directory.DisableAsync(Key(1));
        Assert.Equal(KeyChangeResult.KeyDisabled, await Directory.SetExpiryAsync(Key(1), NextYear.AddYears(9)));
        Assert.Equal(NextYear.AddDays(3), (await Directory.FindAsync(Key(1)))!.Expires);
    }

    [Fact]
    public async Task ListByAccountAsync_ManyKeys_ReturnsPagesOrderedByPublicKeyCappedAtMaximum()
    {
        Bytes32[] keys = [.. Enumerable.Range(0, SignerKeyRules.MaxPageSize + 5).Select(Key)];
        await Task.WhenAll(keys.Select(k => Directory.RegisterAsync(Record(k, Alice.ToUpperInvariant()))));
        await Directory.RegisterAsync(Record(Key(-1), Bob));
        await Directory.DisableAsync(keys[7]);
        string[] expected = [.. keys.Select(k => k.ToHex()).Order(StringComparer.Ordinal)];

        IReadOnlyList<SignerKeyRecord> first = await Directory.ListByAccountAsync(Alice, 0, int.MaxValue);
        IReadOnlyList<SignerKeyRecord> rest = await Directory.ListByAccountAsync(Alice, SignerKeyRules.MaxPageSize, 500);

        Assert.Equal(SignerKeyRules.MaxPageSize, first.Count);
        Assert.Equal(expected, first.Concat(rest).Select(r => r.PublicKey.ToHex()));
        Assert.True(first.Concat(rest).Single(r => r.PublicKey == keys[7]).Disabled);
        Assert.Equal(expected[10..13], (await Directory.ListByAccountAsync(Alice, 10, 3)).Select(r => r.PublicKey.ToHex()));
        Assert.Empty(await Directory.ListByAccountAsync("kira1nobody", 0, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Directory.ListByAccountAsync(Alice, -1, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Directory.ListByAccountAsync(Alice, 0, 0));
    }

    [Fact]
    public async Task FindAsync_CorruptRecord_ReturnsNullAndDoesNotCache()
    {
        RedisKey record = _instance.Connection.Key("{keys}:key:" + Key(1).ToHex()[2..]);
        await _instance.Connection.Database.HashSetAsync(record, [new HashEntry("account", Alice), new HashEntry("scopes", "not json")]);

        Assert.Null(await Directory.FindAsync(Key(1)));

        Assert.False(Directory.IsCached(Key(1)));
    }

    [Fact]
    public async Task PollGenerationAsync_RedisRefusesTheCommand_DoesNotThrowAndKeepsTheCache()
    {
        await Directory.RegisterAsync(Record(Key(1), Alice));
        await Directory.PollGenerationAsync(CancellationToken.None);
        Assert.NotNull(await Directory.FindAsync(Key(1)));
        RedisKey generation = _instance.Connection.Key("{keys}:generation");
        long before = Directory.ObservedGeneration;

        // A server error reply (WRONGTYPE here, LOADING after a restart in real life).
        await _instance.Connection.Database.KeyDeleteAsync(generation);
        await _instance.Connection.Database.HashSetAsync(generation, "not", "a counter");
        await Directory.PollGenerationAsync(CancellationToken.None);

        Assert.True(Directory.IsPollFailing);
        Assert.True(Directory.IsCached(Key(1)));
        Assert.Equal(before, Directory.ObservedGeneration);
    }

    [Fact]
    public async Task Origin_AndScopeMaxCost_RoundTripThroughRedis()
    {
        await Directory.RegisterNewAsync(Record(Key(1), Alice, scopes: [new KeyScope("/api/", ["GET"], 7)]) with { Origin = KeyOrigin.Grant }, 10);
        await Directory.RegisterAsync(Record(Key(2), Alice) with { Origin = KeyOrigin.Config });

        // Re-registering keeps the first origin.
        await Directory.RegisterAsync(Record(Key(1), Alice, scopes: [new KeyScope("/api/", ["GET"], 7)]) with { Origin = KeyOrigin.Config });

        await using DirectoryInstance other = await DirectoryInstance.StartAsync(redis.Server, _instance.Connection.Options.KeyPrefix, runWorker: false);
        SignerKeyRecord granted = (await other.Directory.FindAsync(Key(1)))!;
        Assert.Equal(KeyOrigin.Grant, granted.Origin);
        Assert.Equal(7, Assert.Single(granted.Scopes).MaxCost);
        Assert.Equal(KeyOrigin.Config, (await other.Directory.FindAsync(Key(2)))!.Origin);
    }

    [Fact]
    public async Task OldRecordWithoutOrigin_ReadsAsAdmin_AndTakesTheOriginOfItsNextRegistration()
    {
        await Directory.RegisterAsync(Record(Key(1), Alice));
        await Directory.RegisterAsync(Record(Key(2), Alice));
        IDatabase db = _instance.Connection.Database;
        foreach (int seed in new[] { 1, 2 })
        {
            // As a version before origins wrote it: no origin field, scopes without maxCost.
            await db.HashDeleteAsync(_instance.Connection.Key("{keys}:key:" + Key(seed).ToHex()[2..]), "origin");
        }

        // The start-up seeding re-registers every configured key: that is the proof it is configured.
        await Directory.RegisterAsync(Record(Key(2), Alice) with { Origin = KeyOrigin.Config });

        await using DirectoryInstance other = await DirectoryInstance.StartAsync(redis.Server, _instance.Connection.Options.KeyPrefix, runWorker: false);
        Assert.Equal(KeyOrigin.Admin, (await other.Directory.FindAsync(Key(1)))!.Origin);
        Assert.Equal(KeyOrigin.Config, (await other.Directory.FindAsync(Key(2)))!.Origin);
    }

    [Fact]
    public async Task RegisterNewAsync_CountsOnlyLiveKeys_AndNeverChangesAnExistingKey()
    {
        Assert.Equal(KeyRegistrationResult.Registered, await Directory.RegisterNewAsync(Record(Key(1), Alice), 2));
        Assert.Equal(KeyRegistrationResult.Registered, await Directory.RegisterNewAsync(Record(Key(2), Alice), 2));
        Assert.Equal(KeyRegistrationResult.TooManyKeys, await Directory.RegisterNewAsync(Record(Key(3), Alice), 2));
        Assert.Equal(KeyRegistrationResult.AlreadyRegistered, await Directory.RegisterNewAsync(Record(Key(1), Alice, useCase: "cli"), 2));
        Assert.Equal(KeyRegistrationResult.OwnedByAnotherAccount, await Directory.RegisterNewAsync(Record(Key(1), Bob), 2));

        await Directory.DisableAsync(Key(1));
        Assert.Equal(KeyRegistrationResult.KeyDisabled, await Directory.RegisterNewAsync(Record(Key(1), Alice), 2));
        Assert.Equal(KeyRegistrationResult.Registered, await Directory.RegisterNewAsync(Record(Key(3), Alice), 2));
        Assert.Equal(SignerKeyRecord.FrontendSessionKeyUseCase, (await Directory.FindAsync(Key(2)))!.UseCase);
    }

    [Fact]
    public async Task RegisterNewAsync_ThirtyConcurrentGrantsOnTwoInstancesWithLimitTen_ExactlyTenSucceed()
    {
        await using DirectoryInstance other = await DirectoryInstance.StartAsync(redis.Server, _instance.Connection.Options.KeyPrefix, runWorker: false);

        KeyRegistrationResult[] results = await Task.WhenAll(Enumerable.Range(100, 30).Select(i =>
            Task.Run(() => (i % 2 == 0 ? Directory : other.Directory).RegisterNewAsync(Record(Key(i), Alice), 10))));

        Assert.Equal(10, results.Count(r => r == KeyRegistrationResult.Registered));
        Assert.Equal(20, results.Count(r => r == KeyRegistrationResult.TooManyKeys));
        Assert.Equal(10, (await Directory.ListByAccountAsync(Alice, 0, 100)).Count);
    }
}
