using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autoencoder.Kernels;

/// <summary>
/// A register of <see cref="Count"/> independent float lanes, for kernels written once for every
/// width: each lane is its own element's chain of fused multiply-adds, so a kernel gives the same
/// bits at any width (and on the scalar path, where <see cref="MathF.FusedMultiplyAdd"/> is exact
/// in software when the processor has no FMA instruction).
/// </summary>
/// <typeparam name="TVector">The register type.</typeparam>
internal unsafe interface ILanes<TVector>
    where TVector : struct
{
    /// <summary>Lanes per register.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TVector Zero { get; }

    /// <summary><see cref="Count"/> floats from <paramref name="source"/>.</summary>
    static abstract TVector Load(float* source);

    /// <summary><paramref name="value"/> in every lane.</summary>
    static abstract TVector Broadcast(float value);

    /// <summary><c>a·b + c</c> in each lane, rounded once.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>Writes the lanes to <paramref name="destination"/>.</summary>
    static abstract void Store(float* destination, TVector value);
}

/// <summary>Sixteen lanes (AVX-512F).</summary>
internal readonly unsafe struct Lanes16 : ILanes<Vector512<float>>
{
    public static int Count => 16;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    public static bool IsSupported => Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value) => value.Store(destination);
}

/// <summary>Eight lanes (AVX with FMA).</summary>
internal readonly unsafe struct Lanes8 : ILanes<Vector256<float>>
{
    public static int Count => 8;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    public static bool IsSupported => Fma.IsSupported && Avx.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector256<float> value) => value.Store(destination);
}

/// <summary>Four lanes (SSE with FMA).</summary>
internal readonly unsafe struct Lanes4 : ILanes<Vector128<float>>
{
    public static int Count => 4;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    public static bool IsSupported => Fma.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Fma.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector128<float> value) => value.Store(destination);
}

/// <summary>One lane: portable scalar code.</summary>
internal readonly unsafe struct Lanes1 : ILanes<float>
{
    public static int Count => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, float value) => *destination = value;
}

/// <summary>How many lanes a kernel takes for the next block of independent elements.</summary>
internal static class LaneWidth
{
    /// <summary>
    /// The widest register this processor runs that fits in <paramref name="remaining"/> elements
    /// (16, 8, 4 or 1). <paramref name="widest"/> caps it, for tests that force a narrower path.
    /// </summary>
    public static int For(int remaining, int widest = 16) =>
        remaining >= 16 && widest >= 16 && Lanes16.IsSupported ? 16
        : remaining >= 8 && widest >= 8 && Lanes8.IsSupported ? 8
        : remaining >= 4 && widest >= 4 && Lanes4.IsSupported ? 4
        : 1;
}
