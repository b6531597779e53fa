using BenchmarkDotNet.Attributes;
using SessionGate.Crypto;

namespace SessionGate.Benchmarks.Crypto;

/// <summary>
/// Single-thread sign and verify on a ~100-byte message, the size of a kira_session signed message.
/// bench/sr25519/run.sh compares these with @polkadot/wasm-crypto measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class Sr25519Benchmarks
{
    private readonly byte[] _message = new byte[100];
    private readonly byte[] _signature = new byte[Sr25519.SignatureSize];
    private Sr25519KeyPair _keyPair = null!;
    private byte[] _publicKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_message);
        _keyPair = Sr25519KeyPair.FromMiniSecret(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        _publicKey = _keyPair.PublicKey.ToArray();
        _keyPair.Sign(Sr25519.SubstrateContext, _message, _signature);
    }

    [GlobalCleanup]
    public void Cleanup() => _keyPair.Dispose();

    [Benchmark]
    public bool Verify() => Sr25519.Verify(_publicKey, _message, _signature);

    [Benchmark]
    public void Sign() => _keyPair.Sign(Sr25519.SubstrateContext, _message, _signature);
}
