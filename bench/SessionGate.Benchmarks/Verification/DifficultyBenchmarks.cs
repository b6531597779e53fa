using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SessionGate.Chain;
using SessionGate.Client;
using SessionGate.Crypto;
using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Verification;
using SessionGate.Verification.Difficulty;

namespace SessionGate.Benchmarks.Verification;

/// <summary>
/// The difficulty challenge's two sides (docs/RELIABILITY.md, "Difficulty challenge"): what the
/// gateway spends on a header (the one-hash check alone, and a whole refused first-seen header
/// through the verifier: parse + check, no signature work), and what a client spends per hash while
/// solving (the .NET solver over the worked example of docs/protocol.md, whose first nonce of
/// difficulty 16 is 136,152: exactly 136,153 hashes per solve, reported per hash).
/// </summary>
[MemoryDiagnoser]
public class DifficultyBenchmarks
{
    private const int WorkedExampleHashesAt16 = 136_153;

    private static readonly Bytes32 ExampleKey = Parse("44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f");
    private static readonly Bytes32 ExampleBlock = Parse("0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE");

    private KiraSessionHeader _parsed = null!;
    private string _unsolved = null!;
    private SessionVerifier _verifier = null!;
    private DifficultyGate _gate = null!;

    private static Bytes32 Parse(string hex) => Bytes32.TryParseHex(hex, out Bytes32 value) ? value : throw new ArgumentException(hex);

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

        ulong nonce = 0;
        while (DifficultyChallenge.Meets(new Bytes32(key.PublicKey), block.Hash, nonce, 1))
        {
            nonce++;
        }

        _unsolved = KiraSessionHeader.Create(key, account, block.Hash.ToUpperHex(), nonce);
        KiraSessionHeader.TryParse(_unsolved, "kira", out KiraSessionHeader? parsed, out _);
        _parsed = parsed!;
        _gate = new DifficultyGate(new DifficultyOptions { Mode = DifficultyMode.Always, Bits = 16 }, time);
        _verifier = new SessionVerifier(devChain, directory, time, new SessionVerifierOptions(), difficulty: _gate);
        if (_verifier.VerifyAsync(_unsolved).AsTask().GetAwaiter().GetResult().Error != SessionError.DifficultyRequired)
        {
            throw new InvalidOperationException("setup header is not refused for difficulty");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _verifier.Dispose();
        _gate.Dispose();
    }

    /// <summary>The gateway's check: one SHA-256 of 72 bytes and a leading-zero count.</summary>
    [Benchmark(Baseline = true)]
    public bool GatewayCheck() => DifficultyChallenge.Meets(_parsed, 16);

    /// <summary>A whole refused first-seen header: verdict-cache miss, parse, check, 401 verdict.</summary>
    [Benchmark]
    public SessionError RefusedFirstSeenHeader() => _verifier.VerifyAsync(_unsolved).GetAwaiter().GetResult().Error;

    /// <summary>The .NET solver, per hash (one solve of the worked example at d = 16 is 136,153 hashes).</summary>
    [Benchmark(OperationsPerInvoke = WorkedExampleHashesAt16)]
    public ulong SolverPerHash()
    {
        DifficultySolver.TrySolve(ExampleKey, ExampleBlock, 16, TimeSpan.FromMinutes(1), out ulong nonce);
        return nonce;
    }
}
