using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SessionGate.Balances;
using SessionGate.Hosting;
using SessionGate.AspNetCore.Hosting;
using SessionGate.Keys;
using SessionGate.Middleware.Tests.Admin;
using SessionGate.Protocol;

namespace SessionGate.Middleware.Tests.DependencyInjection;

/// <summary>
/// The seams are real: an application that registers its own key directory and balance source sees
/// the verifier, the tier resolver, the admin API and the background workers all use them.
/// </summary>
public sealed class CustomSeamTests
{
    [Fact]
    public async Task CustomDirectoryAndBalanceSource_UsedByVerifierAdminAndWorkers()
    {
        var directory = new RecordingDirectory();
        var balances = new FixedBalanceSource(250_000m);
        await using TestGateway gateway = await TestGateway.StartAsync(
            new() { ["SessionGate:Admin:ApiKey"] = AdminTestGateway.ApiKey },
            services: s =>
            {
                s.AddSingleton<ISignerKeyDirectory>(directory);
                s.AddSingleton<IBalanceSource>(balances);
            });

        // Start-up seeded the configured key into the application's directory, and the workers run its loops.
        Assert.True(directory.Records.ContainsKey(new Bytes32(gateway.Key.PublicKey)));
        await directory.Running.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await balances.Running.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The verifier finds the key in it, and the tier comes from its balance (whale: 100,000 and more).
        using HttpResponseMessage response = await gateway.SendAsync("/limited", await gateway.HeaderAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument identity = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(gateway.Account, identity.RootElement.GetProperty("account").GetString());
        Assert.Equal("whale", identity.RootElement.GetProperty("tier").GetString());
        Assert.True(directory.Finds > 0);

        // The admin API reads the same instances.
        using HttpRequestMessage account = Admin(gateway, "/admin/accounts/" + gateway.Account);
        using HttpResponseMessage accountResponse = await gateway.Client.SendAsync(account);
        using JsonDocument state = JsonDocument.Parse(await accountResponse.Content.ReadAsStringAsync());
        Assert.Equal("250000", state.RootElement.GetProperty("balance").GetProperty("amount").GetString());
        Assert.Equal("whale", state.RootElement.GetProperty("tier").GetProperty("name").GetString());

        int listsBefore = directory.Lists;
        using HttpRequestMessage keys = Admin(gateway, "/admin/accounts/" + gateway.Account + "/keys");
        using HttpResponseMessage keysResponse = await gateway.Client.SendAsync(keys);
        Assert.Equal(HttpStatusCode.OK, keysResponse.StatusCode);
        Assert.Equal(listsBefore + 1, directory.Lists);
    }

    private static HttpRequestMessage Admin(TestGateway gateway, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, gateway.PathPrefix + path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminTestGateway.ApiKey);
        return request;
    }

    private sealed class FixedBalanceSource(decimal balance) : IBalanceSource, IBackgroundWorker
    {
        public TaskCompletionSource Running { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "test balances";

        public ValueTask<BalanceResult> GetBalanceAsync(string account, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new BalanceResult(true, balance, DateTimeOffset.UtcNow));

        public async Task RunAsync(CancellationToken stoppingToken)
        {
            Running.TrySetResult();
            await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>A minimal directory over a dictionary, counting how it is used.</summary>
    private sealed class RecordingDirectory : ISignerKeyDirectory, IBackgroundWorker
    {
        private int _finds;
        private int _lists;

        public ConcurrentDictionary<Bytes32, SignerKeyRecord> Records { get; } = new();

        public TaskCompletionSource Running { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Finds => Volatile.Read(ref _finds);

        public int Lists => Volatile.Read(ref _lists);

        public string Name => "test directory";

        public ValueTask<SignerKeyRecord?> FindAsync(Bytes32 publicKey, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _finds);
            return ValueTask.FromResult(Records.GetValueOrDefault(publicKey));
        }

        public Task<KeyRegistrationResult> RegisterAsync(SignerKeyRecord record, CancellationToken cancellationToken = default)
        {
            bool added = Records.TryAdd(record.PublicKey, record);
            if (!added)
            {
                Records[record.PublicKey] = record;
            }

            return Task.FromResult(added ? KeyRegistrationResult.Registered : KeyRegistrationResult.Updated);
        }

        public Task<KeyRegistrationResult> RegisterNewAsync(SignerKeyRecord record, int maxLiveKeysPerAccount, CancellationToken cancellationToken = default) =>
            Task.FromResult(Records.TryAdd(record.PublicKey, record) ? KeyRegistrationResult.Registered : KeyRegistrationResult.AlreadyRegistered);

        public Task<KeyChangeResult> DisableAsync(Bytes32 publicKey, CancellationToken cancellationToken = default) =>
            Task.FromResult(KeyChangeResult.NotFound);

        public Task<KeyChangeResult> SetExpiryAsync(Bytes32 publicKey, DateTimeOffset expires, CancellationToken cancellationToken = default) =>
            Task.FromResult(KeyChangeResult.NotFound);

        public Task<IReadOnlyList<SignerKeyRecord>> ListByAccountAsync(string account, int offset, int limit, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _lists);
            return Task.FromResult<IReadOnlyList<SignerKeyRecord>>([.. Records.Values.Where(r => r.Account == account).Skip(offset).Take(limit)]);
        }

        public async Task RunAsync(CancellationToken stoppingToken)
        {
            Running.TrySetResult();
            await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
