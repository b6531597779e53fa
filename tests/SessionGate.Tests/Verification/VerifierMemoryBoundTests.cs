using Microsoft.Extensions.Time.Testing;
using SessionGate.Crypto;
using SessionGate.Protocol;
using SessionGate.Testing;
using SessionGate.Tests.Fakes;
using SessionGate.Tests.Protocol;
using SessionGate.Verification;
using Xunit.Abstractions;

namespace SessionGate.Tests.Verification;

public sealed class VerifierMemoryBoundTests(ITestOutputHelper output)
{
    /// <summary>
    /// One million distinct invalid headers (malformed, and well-formed with bad signatures) with
    /// the default cache capacity of 100,000: the verdict cache stays at its bound and the managed heap
    /// grows by a bounded amount. Measured here: the growth is a few tens of MB; the assertion is a
    /// generous 250 MB so it only fails when memory really is unbounded (1M cached entries would be
    /// several hundred MB).
    /// </summary>
    [Fact]
    public async Task VerifyAsync_OneMillionDistinctInvalidHeaders_KeepsMemoryBounded()
    {
        var time = new FakeTimeProvider(TestTime.Start);
        var feed = new FakeBlockFeed();
        var verifier = new SessionVerifier(feed, new FakeSignerKeyDirectory(), time, new SessionVerifierOptions());
        using Sr25519KeyPair key = SessionHeaders.Key();
        string account = SessionHeaders.Account();
        string validShape = KiraSessionHeader.Create(key, account, SessionHeaders.BlockHash);
        string badSignaturePrefix = validShape[..validShape.IndexOf("\"nonce\":", StringComparison.Ordinal)];

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        long before = GC.GetTotalMemory(forceFullCollection: true);

        for (int i = 0; i < 1_000_000; i++)
        {
            // Every 100th header is well-formed with a bad signature (a signature check each), the rest malformed.
            string header = i % 100 == 0
                ? badSignaturePrefix + "\"nonce\":" + i + validShape[(validShape.IndexOf(",\"signature\"", StringComparison.Ordinal))..]
                : "{\"pubkey\":\"" + i + "\"}";
            SessionVerdict verdict = await verifier.VerifyAsync(header);
            Assert.False(verdict.IsValid);
        }

        Assert.True(verifier.CachedVerdicts <= 100_000, $"cache holds {verifier.CachedVerdicts}");
        long after = GC.GetTotalMemory(forceFullCollection: true);
        long growthMb = (after - before) / (1024 * 1024);
        output.WriteLine($"managed heap growth after 1,000,000 invalid headers: {growthMb} MB; cached verdicts: {verifier.CachedVerdicts}");
        Assert.True(growthMb < 250, $"managed heap grew by {growthMb} MB");
    }
}
