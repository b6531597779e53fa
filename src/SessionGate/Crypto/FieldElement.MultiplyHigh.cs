// The high 64 bits of a 64×64-bit product, the one CPU-dependent step of the field arithmetic.
// Not Math.BigMul(x, y, out low): its out parameter sends the low word through the stack on every
// product (the field code takes the low word from a plain wrapping multiply instead).
// The choice is a struct type argument, so the JIT compiles one specialised, fully inlined Mul and
// Square per choice: the product code has no run-time dispatch, and the tests run the portable
// fallback beside the native one on every run (FieldMultiplyBoundsTests).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SessionGate.Crypto;

internal interface IMultiplyHigh
{
    static abstract ulong High(ulong x, ulong y);
}

/// <summary>MULX on x64 with BMI2, UMULH on Arm64, else the portable fallback. Decided when the JIT compiles.</summary>
internal readonly struct NativeMultiplyHigh : IMultiplyHigh
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong High(ulong x, ulong y)
    {
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.MultiplyNoFlags(x, y);
        }

        if (ArmBase.Arm64.IsSupported)
        {
            return ArmBase.Arm64.MultiplyHigh(x, y);
        }

        return PortableMultiplyHigh.High(x, y);
    }
}

/// <summary>What any CPU runs: Math.BigMul (the JIT lowers it to MUL where it can).</summary>
internal readonly struct PortableMultiplyHigh : IMultiplyHigh
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong High(ulong x, ulong y) => Math.BigMul(x, y, out _);
}
