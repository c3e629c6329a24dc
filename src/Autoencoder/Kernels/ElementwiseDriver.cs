using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

/// <summary>
/// The one loop behind every hand-written element-wise kernel: it picks the widest vector the
/// machine accelerates (512, 256 or 128 bits), runs the operator over whole vectors, steps down
/// through the narrower widths for what is left and finishes with the operator's scalar form.
/// The operators (<see cref="IUnaryOperator"/> and friends) hold only the math.
/// </summary>
/// <remarks>
/// <para>
/// Results do not depend on the width: every operator's forms perform the same IEEE operations
/// in the same order on each element (its scalar form is the lane arithmetic written out), and
/// the reductions (ElementwiseDriver.Reductions.cs) add in one fixed order. So the same inputs
/// give the same bits with 512-, 256- or 128-bit vectors, in the scalar tail and where the
/// runtime accelerates no vectors at all.
/// </para>
/// <para>
/// Output spans may be the same memory as an input (in place): every element is read before the
/// element at the same index is written. A partial overlap is rejected, because a vector store
/// would then clobber inputs not yet read.
/// </para>
/// <para>
/// The loops (here, in the reductions and in the updates) are compiled fully optimised on their
/// first call, as the product's are, rather than going through the JIT's tiers (unoptimised, then
/// instrumented) while a process's first training steps run. (A short run's first epoch is still
/// often slower than the next ones, with or without the JIT's tiers; that is not explained yet.)
/// </para>
/// </remarks>
internal static partial class ElementwiseDriver
{
    [ThreadStatic]
    private static int? t_maxVectorWidth;

    /// <summary>
    /// Upper limit, in bits, on the vectors used by kernels called from the current thread: 512,
    /// 256, 128, or 0 for the scalar path. Tests lower it to run every path on one machine; it never
    /// raises the width above what the hardware accelerates. Thread-local, so a test that lowers it
    /// cannot change the results of tests running at the same time; set it back to 512 when done.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 0, 128, 256 or 512.</exception>
    internal static int MaxVectorWidth
    {
        get => t_maxVectorWidth ?? 512;
        set
        {
            if (value is not (0 or 128 or 256 or 512))
            {
                throw new ArgumentOutOfRangeException(nameof(value), Invariant($"The vector width must be 0, 128, 256 or 512 bits; got {value}."));
            }

            t_maxVectorWidth = value == 512 ? null : value;
        }
    }

    [ThreadStatic]
    private static bool t_emulateWidths;

    /// <summary>
    /// When set, kernels called from the current thread use <see cref="MaxVectorWidth"/> even where
    /// the hardware does not accelerate it: the runtime then carries out the vector operations lane
    /// by lane in software, slowly but with the same IEEE results, so tests can run the code of the
    /// wider paths on a machine without them. Thread-local, like <see cref="MaxVectorWidth"/>.
    /// </summary>
    internal static bool EmulateUnacceleratedWidths
    {
        get => t_emulateWidths;
        set => t_emulateWidths = value;
    }

    /// <summary>
    /// The vector width, in bits, that kernels use on this thread: the widest accelerated width
    /// within <see cref="MaxVectorWidth"/> (or that limit itself with <see cref="EmulateUnacceleratedWidths"/>).
    /// </summary>
    internal static int VectorWidth
    {
        get
        {
            int limit = t_maxVectorWidth ?? 512;
            if (t_emulateWidths)
            {
                return limit;
            }

            if (Vector512.IsHardwareAccelerated && limit >= 512)
            {
                return 512;
            }

            if (Vector256.IsHardwareAccelerated && limit >= 256)
            {
                return 256;
            }

            return Vector128.IsHardwareAccelerated && limit >= 128 ? 128 : 0;
        }
    }

    /// <summary><c>y[i] = op(x[i])</c> for every index of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y)
        where TOp : struct, IUnaryOperator
    {
        CheckOutput(x, y, nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        int width = VectorWidth;
        if (width >= 512)
        {
            for (; i + 16 <= n; i += 16)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
            }
        }

        if (width >= 256)
        {
            for (; i + 8 <= n; i += 8)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
            }
        }

        if (width >= 128)
        {
            for (; i + 4 <= n; i += 4)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref xs, i));
        }
    }

    /// <summary><c>y[i] = op(x[i], w[i])</c> for every index of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y)
        where TOp : struct, IBinaryOperator
    {
        CheckInput(x, w, nameof(w));
        CheckOutput(x, y, nameof(y));
        CheckOutput(w, y, nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ws = ref MemoryMarshal.GetReference(w);
        ref float ys = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        int width = VectorWidth;
        if (width >= 512)
        {
            for (; i + 16 <= n; i += 16)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ws, i)).StoreUnsafe(ref ys, i);
            }
        }

        if (width >= 256)
        {
            for (; i + 8 <= n; i += 8)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ws, i)).StoreUnsafe(ref ys, i);
            }
        }

        if (width >= 128)
        {
            for (; i + 4 <= n; i += 4)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, i), Vector128.LoadUnsafe(ref ws, i)).StoreUnsafe(ref ys, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ws, i));
        }
    }

    /// <summary><c>y[i] = op(x[i], w[i], u[i])</c> for every index of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> u, Span<float> y)
        where TOp : struct, ITernaryOperator
    {
        CheckInput(x, w, nameof(w));
        CheckInput(x, u, nameof(u));
        CheckOutput(x, y, nameof(y));
        CheckOutput(w, y, nameof(y));
        CheckOutput(u, y, nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ws = ref MemoryMarshal.GetReference(w);
        ref float us = ref MemoryMarshal.GetReference(u);
        ref float ys = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        int width = VectorWidth;
        if (width >= 512)
        {
            for (; i + 16 <= n; i += 16)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ws, i), Vector512.LoadUnsafe(ref us, i)).StoreUnsafe(ref ys, i);
            }
        }

        if (width >= 256)
        {
            for (; i + 8 <= n; i += 8)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ws, i), Vector256.LoadUnsafe(ref us, i)).StoreUnsafe(ref ys, i);
            }
        }

        if (width >= 128)
        {
            for (; i + 4 <= n; i += 4)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, i), Vector128.LoadUnsafe(ref ws, i), Vector128.LoadUnsafe(ref us, i)).StoreUnsafe(ref ys, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ws, i), Unsafe.Add(ref us, i));
        }
    }

    /// <summary>An extra input must have the first input's length.</summary>
    internal static void CheckInput(ReadOnlySpan<float> first, ReadOnlySpan<float> other, string name)
    {
        if (other.Length != first.Length)
        {
            throw new ArgumentException(Invariant($"{name} must have the same length as the first input ({first.Length}); its length is {other.Length}."), name);
        }
    }

    /// <summary>The output must hold every result and may alias an input only exactly.</summary>
    internal static void CheckOutput(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string name)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException(Invariant($"{name} must be at least as long as the input ({input.Length}); its length is {output.Length}."), name);
        }

        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            throw new ArgumentException(Invariant($"{name} must be the same memory as an input or not overlap it; it overlaps at offset {offset}."), name);
        }
    }
}
