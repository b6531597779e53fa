using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionGate.Keys;
using SessionGate.Testing;
using static SessionGate.Testing.Keys.TestKeys;

namespace SessionGate.Tests.Keys;

public sealed class SignerKeySeederTests
{
    private readonly InMemorySignerKeyDirectory _directory = new(new FakeTimeProvider(TestTime.Start));
    private readonly FakeLogger<SignerKeySeeder> _logger = new();
    private readonly SignerKeySeeder _seeder;

    public SignerKeySeederTests() => _seeder = new SignerKeySeeder(_directory, _logger);

    [Fact]
    public async Task SeedAsync_NewKeys_RegistersEach()
    {
        IReadOnlyList<KeySeedResult> results = await _seeder.SeedAsync([Record(Key(1), Alice), Record(Key(2), Bob)]);

        Assert.Equal([KeyRegistrationResult.Registered, KeyRegistrationResult.Registered], results.Select(r => r.Result));
        Assert.Equal([Key(1), Key(2)], results.Select(r => r.PublicKey));
        Assert.NotNull(await _directory.FindAsync(Key(2)));
    }

    [Fact]
    public async Task SeedAsync_RunTwice_SecondRunUpdatesFromConfiguration()
    {
        await _seeder.SeedAsync([Record(Key(1), Alice)]);

        IReadOnlyList<KeySeedResult> results = await _seeder.SeedAsync([Record(Key(1), Alice, expires: NextYear.AddDays(1))]);

        Assert.Equal(KeyRegistrationResult.Updated, Assert.Single(results).Result);
        Assert.Equal(NextYear.AddDays(1), (await _directory.FindAsync(Key(1)))!.Expires);
    }

    [Fact]
    public async Task SeedAsync_DisabledKey_StaysDisabledAndLogsWarning()
    {
        await _directory.RegisterAsync(Record(Key(1), Alice));
        await _directory.DisableAsync(Key(1));

        IReadOnlyList<KeySeedResult> results = await _seeder.SeedAsync([Record(Key(1), Alice)]);

        Assert.Equal(KeyRegistrationResult.KeyDisabled, Assert.Single(results).Result);
        Assert.True((await _directory.FindAsync(Key(1)))!.Disabled);
        var entry = Assert.Single(_logger.Collector.GetSnapshot(), e => e.Level == LogLevel.Warning);
        Assert.Equal("SignerKeySeedDisabled", entry.Id.Name);
        Assert.DoesNotContain(Key(1).ToHex(), entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedAsync_KeyOfAnotherAccount_LeavesItAndLogsWarning()
    {
        await _directory.RegisterAsync(Record(Key(1), Bob));

        IReadOnlyList<KeySeedResult> results = await _seeder.SeedAsync([Record(Key(1), Alice)]);

        Assert.Equal(KeyRegistrationResult.OwnedByAnotherAccount, Assert.Single(results).Result);
        Assert.Equal(Bob, (await _directory.FindAsync(Key(1)))!.Account);
        Assert.Equal("SignerKeySeedOwnedByAnotherAccount", Assert.Single(_logger.Collector.GetSnapshot(), e => e.Level == LogLevel.Warning).Id.Name);
    }
}
