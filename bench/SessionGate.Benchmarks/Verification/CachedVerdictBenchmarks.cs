using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.Chain;
using SessionGate.Crypto;
using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Verification;

namespace SessionGate.Benchmarks.Verification;

/// <summary>
/// Verifier cost per request: a reused header (cached verdict: hash, cache lookup, window and
/// directory checks) against its baseline (SHA-256 of the header alone), and a first-seen header
/// (parse + signature check + block lookup). Uses the embedded-default components (dev chain,
/// in-memory directory).
/// </summary>
[MemoryDiagnoser]
public class CachedVerdictBenchmarks
{
    private SessionVerifier _verifier = null!;
    private SessionVerifier _coldVerifier = null!;
    private string _header = null!;
    private string[] _freshHeaders = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        TimeProvider time = TimeProvider.System;
        var chain = new ChainOptions();
        var devChain = new DevChain(chain, new InMemoryBlockStore(chain.Retention, time), time, NullLogger<DevChain>.Instance);
        BlockInfo block = devChain.ProduceBlockAsync().AsTask().GetAwaiter().GetResult();

        var directory = new InMemorySignerKeyDirectory(time);
        using Sr25519KeyPair key = Sr25519KeyPair.FromMiniSecret(Enumerable.Repeat((byte)9, 32).ToArray());
        string account = AccountAddress.Encode("kira", new byte[20]);
        directory.RegisterAsync(new SignerKeyRecord { PublicKey = new Bytes32(key.PublicKey), Account = account, Expires = time.GetUtcNow().AddDays(1) }).GetAwaiter().GetResult();

        _verifier = new SessionVerifier(devChain, directory, time, new SessionVerifierOptions());
        _header = KiraSessionHeader.Create(key, account, block.Hash.ToUpperHex());
        if (!_verifier.VerifyAsync(_header).AsTask().GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException("setup header does not verify");
        }

        // A verifier whose cache is far smaller than the header set, so every header is a miss.
        _coldVerifier = new SessionVerifier(devChain, directory, time, new SessionVerifierOptions { VerdictCacheCapacity = 100 });
        _freshHeaders = Enumerable.Range(0, 20_000).Select(n => KiraSessionHeader.Create(key, account, block.Hash.ToUpperHex(), (ulong)n + 1)).ToArray();
    }

    [Benchmark(Baseline = true)]
    public byte[] HashHeaderOnly() => SHA256.HashData(Encoding.UTF8.GetBytes(_header));

    [Benchmark]
    public bool CachedHeader() => _verifier.VerifyAsync(_header).GetAwaiter().GetResult().IsValid;

    [Benchmark]
    public bool FirstSeenHeader() => _coldVerifier.VerifyAsync(_freshHeaders[_next++ % _freshHeaders.Length]).GetAwaiter().GetResult().IsValid;
}
