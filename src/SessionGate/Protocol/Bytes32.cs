using System.Buffers.Binary;

namespace SessionGate.Protocol;

/// <summary>
/// An immutable 32-byte value (a session public key or a block hash) with value equality, usable as
/// a dictionary key without allocating.
/// </summary>
public readonly struct Bytes32 : IEquatable<Bytes32>
{
    /// <summary>The size in bytes.</summary>
    public const int Size = 32;

    private readonly ulong _a, _b, _c, _d;

    /// <summary>Creates the value from exactly 32 bytes.</summary>
    /// <exception cref="ArgumentException">The span is not 32 bytes.</exception>
    public Bytes32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException("Expected exactly 32 bytes.", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
    }

    /// <summary>Parses 64 hex digits with an optional <c>0x</c> prefix, either case. Never throws.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> text, out Bytes32 value)
    {
        Span<byte> bytes = stackalloc byte[Size];
        if (HexCodec.TryDecode(text, bytes))
        {
            value = new Bytes32(bytes);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Writes the 32 bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _a);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _d);
    }

    /// <summary>The 32 bytes as a new array.</summary>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Lowercase hex with a <c>0x</c> prefix (how public keys are shown).</summary>
    public string ToHex() => HexCodec.Encode(ToArray());

    /// <summary>Uppercase hex without prefix (how Tendermint shows block hashes).</summary>
    public string ToUpperHex() => Convert.ToHexString(ToArray());

    /// <inheritdoc />
    public override string ToString() => ToHex();

    /// <inheritdoc />
    public bool Equals(Bytes32 other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Bytes32 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    /// <summary>Value equality.</summary>
    public static bool operator ==(Bytes32 left, Bytes32 right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Bytes32 left, Bytes32 right) => !left.Equals(right);
}
