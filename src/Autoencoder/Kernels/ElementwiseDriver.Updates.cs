using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

/// <summary>
/// The optimizer-update loops: read each parameter from <c>parameters</c>, run the operator, write
/// the new parameter to <c>updated</c> (the same memory for an in-place step, or a second buffer so
/// that the old values survive a failed step) and the new state in place. Each loop also reports
/// whether every value it wrote is finite, at the cost of one fused multiply-add per written vector:
/// <c>acc ← v·0 + acc</c> stays 0 while <c>v</c> is finite and becomes NaN for NaN or ±∞ (a NaN or
/// infinite gradient always makes the new state or parameter non-finite, so it is caught too).
/// The check never changes a written value, so the update's bits are those of the unchecked loop.
/// </summary>
internal static partial class ElementwiseDriver
{
    /// <summary>
    /// <c>updated[i] = op(parameters[i], gradients[i])</c>, an update without state (plain SGD);
    /// returns whether every new parameter is finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Update<TOp>(TOp op, ReadOnlySpan<float> parameters, Span<float> updated, ReadOnlySpan<float> gradients)
        where TOp : struct, IBinaryOperator
    {
        CheckInput(parameters, gradients, nameof(gradients));
        CheckInput(parameters, updated, nameof(updated));
        CheckOutput(parameters, updated, nameof(updated));
        CheckOutput(gradients, updated, nameof(updated));
        ref float ps = ref MemoryMarshal.GetReference(parameters);
        ref float us = ref MemoryMarshal.GetReference(updated);
        ref float gs = ref MemoryMarshal.GetReference(gradients);
        nuint n = (nuint)parameters.Length, i = 0;
        int width = VectorWidth;
        bool finite = true;
        if (width >= 512)
        {
            Vector512<float> check = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                Vector512<float> p = op.Invoke(Vector512.LoadUnsafe(ref ps, i), Vector512.LoadUnsafe(ref gs, i));
                p.StoreUnsafe(ref us, i);
                check = Vector512.FusedMultiplyAdd(p, Vector512<float>.Zero, check);
            }

            finite &= Vector512.EqualsAll(check, Vector512<float>.Zero);
        }

        if (width >= 256)
        {
            Vector256<float> check = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> p = op.Invoke(Vector256.LoadUnsafe(ref ps, i), Vector256.LoadUnsafe(ref gs, i));
                p.StoreUnsafe(ref us, i);
                check = Vector256.FusedMultiplyAdd(p, Vector256<float>.Zero, check);
            }

            finite &= Vector256.EqualsAll(check, Vector256<float>.Zero);
        }

        if (width >= 128)
        {
            Vector128<float> check = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                Vector128<float> p = op.Invoke(Vector128.LoadUnsafe(ref ps, i), Vector128.LoadUnsafe(ref gs, i));
                p.StoreUnsafe(ref us, i);
                check = Vector128.FusedMultiplyAdd(p, Vector128<float>.Zero, check);
            }

            finite &= Vector128.EqualsAll(check, Vector128<float>.Zero);
        }

        for (; i < n; i++)
        {
            float p = op.Invoke(Unsafe.Add(ref ps, i), Unsafe.Add(ref gs, i));
            Unsafe.Add(ref us, i) = p;
            finite &= float.IsFinite(p);
        }

        return finite;
    }

    /// <summary>
    /// Applies <paramref name="op"/> to every element: the parameter read from
    /// <paramref name="parameters"/> and written to <paramref name="updated"/>, the state rewritten in
    /// place; returns whether every new parameter and state value is finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Update<TOp>(TOp op, ReadOnlySpan<float> parameters, Span<float> updated, Span<float> state, ReadOnlySpan<float> gradients)
        where TOp : struct, IOneStateUpdateOperator
    {
        CheckInput(parameters, state, nameof(state));
        CheckInput(parameters, gradients, nameof(gradients));
        CheckInput(parameters, updated, nameof(updated));
        CheckOutput(parameters, updated, nameof(updated));
        ref float ps = ref MemoryMarshal.GetReference(parameters);
        ref float us = ref MemoryMarshal.GetReference(updated);
        ref float ss = ref MemoryMarshal.GetReference(state);
        ref float gs = ref MemoryMarshal.GetReference(gradients);
        nuint n = (nuint)parameters.Length, i = 0;
        int width = VectorWidth;
        bool finite = true;
        if (width >= 512)
        {
            Vector512<float> check = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                Vector512<float> p = Vector512.LoadUnsafe(ref ps, i), s = Vector512.LoadUnsafe(ref ss, i);
                op.Invoke(ref p, ref s, Vector512.LoadUnsafe(ref gs, i));
                p.StoreUnsafe(ref us, i);
                s.StoreUnsafe(ref ss, i);
                check = Vector512.FusedMultiplyAdd(s, Vector512<float>.Zero, Vector512.FusedMultiplyAdd(p, Vector512<float>.Zero, check));
            }

            finite &= Vector512.EqualsAll(check, Vector512<float>.Zero);
        }

        if (width >= 256)
        {
            Vector256<float> check = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> p = Vector256.LoadUnsafe(ref ps, i), s = Vector256.LoadUnsafe(ref ss, i);
                op.Invoke(ref p, ref s, Vector256.LoadUnsafe(ref gs, i));
                p.StoreUnsafe(ref us, i);
                s.StoreUnsafe(ref ss, i);
                check = Vector256.FusedMultiplyAdd(s, Vector256<float>.Zero, Vector256.FusedMultiplyAdd(p, Vector256<float>.Zero, check));
            }

            finite &= Vector256.EqualsAll(check, Vector256<float>.Zero);
        }

        if (width >= 128)
        {
            Vector128<float> check = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                Vector128<float> p = Vector128.LoadUnsafe(ref ps, i), s = Vector128.LoadUnsafe(ref ss, i);
                op.Invoke(ref p, ref s, Vector128.LoadUnsafe(ref gs, i));
                p.StoreUnsafe(ref us, i);
                s.StoreUnsafe(ref ss, i);
                check = Vector128.FusedMultiplyAdd(s, Vector128<float>.Zero, Vector128.FusedMultiplyAdd(p, Vector128<float>.Zero, check));
            }

            finite &= Vector128.EqualsAll(check, Vector128<float>.Zero);
        }

        for (; i < n; i++)
        {
            float p = Unsafe.Add(ref ps, i);
            op.Invoke(ref p, ref Unsafe.Add(ref ss, i), Unsafe.Add(ref gs, i));
            Unsafe.Add(ref us, i) = p;
            finite &= float.IsFinite(p) && float.IsFinite(Unsafe.Add(ref ss, i));
        }

        return finite;
    }

    /// <summary>
    /// Applies <paramref name="op"/> to every element: the parameter read from
    /// <paramref name="parameters"/> and written to <paramref name="updated"/>, both states rewritten
    /// in place; returns whether every new parameter and state value is finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Update<TOp>(TOp op, ReadOnlySpan<float> parameters, Span<float> updated, Span<float> first, Span<float> second, ReadOnlySpan<float> gradients)
        where TOp : struct, ITwoStateUpdateOperator
    {
        CheckInput(parameters, first, nameof(first));
        CheckInput(parameters, second, nameof(second));
        CheckInput(parameters, gradients, nameof(gradients));
        CheckInput(parameters, updated, nameof(updated));
        CheckOutput(parameters, updated, nameof(updated));
        ref float ps = ref MemoryMarshal.GetReference(parameters);
        ref float us = ref MemoryMarshal.GetReference(updated);
        ref float fs = ref MemoryMarshal.GetReference(first);
        ref float ss = ref MemoryMarshal.GetReference(second);
        ref float gs = ref MemoryMarshal.GetReference(gradients);
        nuint n = (nuint)parameters.Length, i = 0;
        int width = VectorWidth;
        bool finite = true;
        if (width >= 512)
        {
            Vector512<float> check = Vector512<float>.Zero, zero = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                Vector512<float> p = Vector512.LoadUnsafe(ref ps, i), f = Vector512.LoadUnsafe(ref fs, i), s = Vector512.LoadUnsafe(ref ss, i);
                op.Invoke(ref p, ref f, ref s, Vector512.LoadUnsafe(ref gs, i));
                p.StoreUnsafe(ref us, i);
                f.StoreUnsafe(ref fs, i);
                s.StoreUnsafe(ref ss, i);
                check = Vector512.FusedMultiplyAdd(s, zero, Vector512.FusedMultiplyAdd(f, zero, Vector512.FusedMultiplyAdd(p, zero, check)));
            }

            finite &= Vector512.EqualsAll(check, zero);
        }

        if (width >= 256)
        {
            Vector256<float> check = Vector256<float>.Zero, zero = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> p = Vector256.LoadUnsafe(ref ps, i), f = Vector256.LoadUnsafe(ref fs, i), s = Vector256.LoadUnsafe(ref ss, i);
                op.Invoke(ref p, ref f, ref s, Vector256.LoadUnsafe(ref gs, i));
                p.StoreUnsafe(ref us, i);
                f.StoreUnsafe(ref fs, i);
                s.StoreUnsafe(ref ss, i);
                check = Vector256.FusedMultiplyAdd(s, zero, Vector256.FusedMultiplyAdd(f, zero, Vector256.FusedMultiplyAdd(p, zero, check)));
            }

            finite &= Vector256.EqualsAll(check, zero);
        }

        if (width >= 128)
        {
            Vector128<float> check = Vector128<float>.Zero, zero = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                Vector128<float> p = Vector128.LoadUnsafe(ref ps, i), f = Vector128.LoadUnsafe(ref fs, i), s = Vector128.LoadUnsafe(ref ss, i);
                op.Invoke(ref p, ref f, ref s, Vector128.LoadUnsafe(ref gs, i));
                p.StoreUnsafe(ref us, i);
                f.StoreUnsafe(ref fs, i);
                s.StoreUnsafe(ref ss, i);
                check = Vector128.FusedMultiplyAdd(s, zero, Vector128.FusedMultiplyAdd(f, zero, Vector128.FusedMultiplyAdd(p, zero, check)));
            }

            finite &= Vector128.EqualsAll(check, zero);
        }

        for (; i < n; i++)
        {
            float p = Unsafe.Add(ref ps, i);
            op.Invoke(ref p, ref Unsafe.Add(ref fs, i), ref Unsafe.Add(ref ss, i), Unsafe.Add(ref gs, i));
            Unsafe.Add(ref us, i) = p;
            finite &= float.IsFinite(p) && float.IsFinite(Unsafe.Add(ref fs, i)) && float.IsFinite(Unsafe.Add(ref ss, i));
        }

        return finite;
    }
}
