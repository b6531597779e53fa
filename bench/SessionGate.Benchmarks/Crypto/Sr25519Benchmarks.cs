using BenchmarkDotNet.Attributes;
using SessionGate.Crypto;

namespace SessionGate.Benchmarks.Crypto;

/// <summary>
/// Single-thread sign and verify on a ~100-byte message, the size of a kira_session signed message.
/// bench/sr25519/run.sh compares these with @polkadot/wasm-crypto measured in the same run.
/// Verify decodes its key through the shared key cache (a session key signs many headers);
/// VerifyFreshKey decodes the key every time; VerifyBatch64 is reported per signature.
/// </summary>
[MemoryDiagnoser]
public class Sr25519Benchmarks
{
    private const int BatchSize = 64;
    private readonly byte[] _message = new byte[100];
    private readonly byte[] _signature = new byte[Sr25519.SignatureSize];
    private readonly byte[] _signOutput = new byte[Sr25519.SignatureSize];
    private readonly Sr25519SignatureItem[] _batch = new Sr25519SignatureItem[BatchSize];
    private Sr25519KeyPair _keyPair = null!;
    private byte[] _publicKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_message);
        _keyPair = Sr25519KeyPair.FromMiniSecret(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        _publicKey = _keyPair.PublicKey.ToArray();
        _keyPair.Sign(Sr25519.SubstrateContext, _message, _signature);

        // 64 distinct keys and messages, as 64 clients' first-seen headers.
        var random = new Random(7);
        byte[] context = Sr25519.SubstrateContext.ToArray();
        for (int i = 0; i < BatchSize; i++)
        {
            byte[] seed = new byte[32];
            random.NextBytes(seed);
            using Sr25519KeyPair pair = Sr25519KeyPair.FromMiniSecret(seed);
            byte[] message = new byte[100];
            random.NextBytes(message);
            _batch[i] = new Sr25519SignatureItem(pair.PublicKey.ToArray(), context, message, pair.Sign(context, message));
        }

        if (!Sr25519.VerifyBatch(_batch) || !Verify() || !VerifyFreshKey())
        {
            throw new InvalidOperationException("benchmark inputs do not verify");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _keyPair.Dispose();

    [Benchmark]
    public bool Verify() => Sr25519.Verify(_publicKey, _message, _signature);

    [Benchmark]
    public bool VerifyFreshKey() =>
        Sr25519.DecodePublicKeyUncached(_publicKey, out EdwardsPoint key)
        && Sr25519.VerifyDecoded(_publicKey, key, Sr25519.SubstrateContext, _message, _signature);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public bool VerifyBatch64() => Sr25519.VerifyBatch(_batch);

    [Benchmark]
    public void Sign() => _keyPair.Sign(Sr25519.SubstrateContext, _message, _signOutput);
}
