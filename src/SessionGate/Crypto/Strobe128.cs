// STROBE-128 (strobe.sourceforge.io, protocol v1.0.2; the initial state carries the 12-byte tag "STROBEv1.0.2") reduced to the operations Merlin needs:
// meta-AD, AD, PRF and KEY, over Keccak-f[1600] with rate 166 bytes (security level 128).
// This mirrors the minimal STROBE that the merlin crate embeds, which schnorrkel relies on.
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace SessionGate.Crypto;

/// <summary>A STROBE-128 duplex state. A value type: copying it forks the transcript.</summary>
internal struct Strobe128
{
    private const int Rate = 166;
    private const byte FlagI = 1;
    private const byte FlagA = 1 << 1;
    private const byte FlagC = 1 << 2;
    private const byte FlagT = 1 << 3;
    private const byte FlagM = 1 << 4;
    private const byte FlagK = 1 << 5;

    private StrobeState _state;
    private int _position;
    private byte _positionBegin;
    private byte _currentFlags;

    /// <summary>Creates a STROBE-128 state and absorbs <paramref name="protocolLabel"/> as meta-AD.</summary>
    public Strobe128(ReadOnlySpan<byte> protocolLabel)
    {
        Span<byte> state = _state;
        state.Clear();
        ReadOnlySpan<byte> header = [1, Rate + 2, 1, 0, 1, 96];
        header.CopyTo(state);
        "STROBEv1.0.2"u8.CopyTo(state[6..]);
        Keccak.Permute(state);
        MetaAd(protocolLabel, more: false);
    }

    public void MetaAd(ReadOnlySpan<byte> data, bool more)
    {
        BeginOperation(FlagM | FlagA, more);
        Absorb(data);
    }

    public void Ad(ReadOnlySpan<byte> data, bool more)
    {
        BeginOperation(FlagA, more);
        Absorb(data);
    }

    public void Prf(Span<byte> destination, bool more)
    {
        BeginOperation(FlagI | FlagA | FlagC, more);
        Squeeze(destination);
    }

    public void Key(ReadOnlySpan<byte> data, bool more)
    {
        BeginOperation(FlagA | FlagC, more);
        Overwrite(data);
    }

    /// <summary>Zeroes the state (it may hold secret-derived bytes after KEY operations).</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(_state);
        _position = 0;
        _positionBegin = 0;
        _currentFlags = 0;
    }

    private void RunF()
    {
        Span<byte> state = _state;
        state[_position] ^= _positionBegin;
        state[_position + 1] ^= 0x04;
        state[Rate + 1] ^= 0x80;
        Keccak.Permute(state);
        _position = 0;
        _positionBegin = 0;
    }

    private void Absorb(ReadOnlySpan<byte> data)
    {
        Span<byte> state = _state;
        foreach (byte b in data)
        {
            state[_position] ^= b;
            if (++_position == Rate)
            {
                RunF();
            }
        }
    }

    private void Overwrite(ReadOnlySpan<byte> data)
    {
        Span<byte> state = _state;
        foreach (byte b in data)
        {
            state[_position] = b;
            if (++_position == Rate)
            {
                RunF();
            }
        }
    }

    private void Squeeze(Span<byte> destination)
    {
        Span<byte> state = _state;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = state[_position];
            state[_position] = 0;
            if (++_position == Rate)
            {
                RunF();
            }
        }
    }

    private void BeginOperation(byte flags, bool more)
    {
        if (more)
        {
            // Continuing an operation: STROBE requires the same flags; callers in this assembly
            // only ever continue their own operation, so a mismatch is a programming error.
            if (_currentFlags != flags)
            {
                throw new InvalidOperationException("STROBE operation continued with different flags.");
            }

            return;
        }

        if ((flags & FlagT) != 0)
        {
            throw new InvalidOperationException("STROBE transport operations are not supported.");
        }

        byte oldBegin = _positionBegin;
        _positionBegin = (byte)(_position + 1);
        _currentFlags = flags;
        Absorb([oldBegin, flags]);

        bool forceF = (flags & (FlagC | FlagK)) != 0;
        if (forceF && _position != 0)
        {
            RunF();
        }
    }

    [InlineArray(Keccak.StateSize)]
    private struct StrobeState
    {
        private byte _element;
    }
}
