// A bounded cache of decoded (decompressed) sr25519 public keys. A session key signs many headers
// (one per block, per client refresh), and decoding costs an inverse square root, the largest fixed
// cost of a verification after the scalar multiplication. Only valid keys are cached.
//
// Shape: direct-mapped, a fixed array of immutable entries indexed by a per-process randomized hash
// of the key. Memory is bounded by construction (capacity × ~240 bytes), lookups take no lock
// (an entry is published with one reference write), and a collision simply replaces the older entry.
// An attacker who floods keys can only evict entries, which costs a re-decode, never a wrong answer:
// a hit is confirmed by comparing all 32 key bytes.
namespace SessionGate.Crypto;

internal sealed class Sr25519PublicKeyCache
{
    /// <summary>The cache every verification in the process shares (4,096 keys, about 1 MB).</summary>
    public static readonly Sr25519PublicKeyCache Shared = new(4096);

    private readonly Entry?[] _entries;
    private readonly int _mask;

    public Sr25519PublicKeyCache(int capacity)
    {
        if (capacity < 1 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity must be a power of two.");
        }

        _entries = new Entry?[capacity];
        _mask = capacity - 1;
    }

    /// <summary>Number of slots (the most keys held at once).</summary>
    public int Capacity => _entries.Length;

    /// <summary>
    /// Decodes <paramref name="publicKey"/> as a canonical, non-identity ristretto255 element, from the
    /// cache when it was decoded before. Returns false, never throws, for anything else.
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> publicKey, out EdwardsPoint point)
    {
        if (publicKey.Length != Sr25519.PublicKeySize)
        {
            point = default;
            return false;
        }

        ref Entry? slot = ref _entries[Slot(publicKey)];
        Entry? entry = Volatile.Read(ref slot);
        if (entry is not null && publicKey.SequenceEqual(entry.Key))
        {
            point = entry.Point;
            return true;
        }

        if (!Sr25519.DecodePublicKeyUncached(publicKey, out point))
        {
            return false;
        }

        Volatile.Write(ref slot, new Entry(publicKey.ToArray(), point));
        return true;
    }

    private int Slot(ReadOnlySpan<byte> publicKey)
    {
        // HashCode is seeded randomly per process, so which keys collide cannot be planned offline.
        var hash = default(HashCode);
        hash.AddBytes(publicKey);
        return hash.ToHashCode() & _mask;
    }

    private sealed class Entry(byte[] key, EdwardsPoint point)
    {
        public byte[] Key { get; } = key;

        public EdwardsPoint Point { get; } = point;
    }
}
