using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autoencoder.Kernels;

/// <summary>
/// Single-precision matrix product on row-major spans: <c>C = op(A)·op(B)</c> or
/// <c>C += op(A)·op(B)</c>. Every matrix product of the layers goes through
/// <see cref="Multiply"/>, so the implementation can change without touching a layer.
/// </summary>
/// <remarks>
/// <para>
/// Shapes: <c>op(A)</c> is <c>m×k</c>, <c>op(B)</c> is <c>k×n</c>, <c>C</c> is <c>m×n</c>.
/// Storage is row-major with leading dimensions: element (r, c) of a matrix stored with
/// leading dimension <c>ld</c> is at <c>r·ld + c</c>. With <c>transA</c>, A is stored as
/// <c>k×m</c> (so <c>op(A) = Aᵀ</c>); with <c>transB</c>, B is stored as <c>n×k</c>.
/// The three products of a dense layer map to: forward <c>X·W</c> (no transpose), input
/// gradient <c>dZ·Wᵀ</c> (<c>transB</c>), weight gradient <c>Xᵀ·dZ</c> (<c>transA</c>).
/// </para>
/// <para>
/// The implementation is the classic packed, cache-blocked scheme (Gemm.Blocking.cs): blocks
/// of op(B) (KC×NC) and op(A) (MC×KC) are copied into contiguous panels laid out in the order
/// the register-blocked micro-kernel (Gemm.MicroKernel.cs) reads them, and the micro-kernel
/// keeps an MR×NR tile of C in registers over KC steps of fused multiply-adds. Panels whose
/// storage already suits the kernel, or that are reused too little to repay a copy, are read
/// in place (InPlaceA and InPlaceB in Gemm.Blocking.cs decide). One-row products skip packing altogether
/// (Gemm.RowTimesMatrix.cs).
/// </para>
/// <para>
/// Threads split the output only (slabs run on the <see cref="WorkerPool"/>); each element of C is always summed in
/// the same order (k ascending, KC blocks in order) by the same instructions wherever its
/// tile falls, so results are bit-identical whatever the thread count or slab boundaries.
/// </para>
/// <para>
/// The instruction paths agree bit for bit as well. On every path an element is one chain of
/// fused multiply-adds per depth block (the same KC everywhere), the blocks added to C in order,
/// and the bias added to the first block's sum; edge tiles run the full-tile arithmetic. A
/// one-row product chains over all of k (for a stored-transposed B: eight lane sums added in a
/// fixed order), and the portable path repeats those steps in scalar code
/// (Gemm.RowTimesMatrixScalar.cs).
/// </para>
/// </remarks>
internal static partial class Gemm
{
    private static GemmPath forcedPath = GemmPath.Auto;

    /// <summary>The fastest instruction path this process can run.</summary>
    public static GemmPath BestPath { get; } = DetectBestPath();

    /// <summary>
    /// Instruction path used by <see cref="Multiply"/>;
    /// <see cref="GemmPath.Auto"/> (the default) means <see cref="BestPath"/>. Lets tests and
    /// benchmarks run the lower paths on a processor that has the higher ones.
    /// </summary>
    public static GemmPath ForcedPath
    {
        get => forcedPath;
        set
        {
            if (!IsSupported(value))
            {
                throw new PlatformNotSupportedException(Invariant($"GEMM path {value} is not supported by this processor or runtime."));
            }

            forcedPath = value;
        }
    }

    /// <summary>Whether <paramref name="path"/> can run in this process.</summary>
    public static bool IsSupported(GemmPath path) => path switch
    {
        GemmPath.Auto or GemmPath.Scalar => true,
        GemmPath.Vector512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Fma.IsSupported,
        GemmPath.Vector256 => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported,
        _ => false,
    };

    /// <summary>
    /// Computes <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/>
    /// is set; with a non-empty <paramref name="bias"/> (n entries, overwrite mode only),
    /// <c>C = op(A)·op(B) + 1·biasᵀ</c>, the bias added to each output tile while it is in L1;
    /// with <paramref name="biasPerRow"/> (m entries), <c>C = op(A)·op(B) + bias·1ᵀ</c>. Either way
    /// an element is its first depth block's sum plus its bias entry, then the later blocks' sums, so
    /// the transposed product <c>Cᵀ = op(B)ᵀ·op(A)ᵀ</c> with the bias per row gives <c>C</c>'s bits
    /// (when neither is a one-row product, which chains over all of k).
    /// </summary>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate,
        ReadOnlySpan<float> bias = default,
        bool biasPerRow = false)
        => MultiplyOn(ForcedPath, WorkerPool.MaxDegreeOfParallelism, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, biasPerRow);

    /// <summary>
    /// <see cref="Multiply"/>
    /// on an explicit instruction path and thread cap, leaving the static settings alone, so
    /// tests running in parallel cannot disturb each other.
    /// </summary>
    public static unsafe void MultiplyOn(
        GemmPath path, int maxThreads,
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate,
        ReadOnlySpan<float> bias = default,
        bool biasPerRow = false)
    {
        CheckArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        int biasEntries = biasPerRow ? m : n;
        if (!bias.IsEmpty && (accumulate || bias.Length < biasEntries))
        {
            throw new ArgumentException(
                Invariant($"A bias needs overwrite mode and at least {(biasPerRow ? "m" : "n")} = {biasEntries} entries; got accumulate = {accumulate} and {bias.Length} entries."), nameof(bias));
        }
        if (!IsSupported(path))
        {
            throw new PlatformNotSupportedException(Invariant($"GEMM path {path} is not supported by this processor or runtime."));
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    if (bias.IsEmpty)
                    {
                        c.Slice(i * ldc, n).Clear();
                    }
                    else if (biasPerRow)
                    {
                        c.Slice(i * ldc, n).Fill(bias[i]);
                    }
                    else
                    {
                        bias[..n].CopyTo(c.Slice(i * ldc, n));
                    }
                }
            }

            return;
        }

        fixed (float* pa = a, pb = b, pc = c, pBias = bias)
        {
            var job = new Job
            {
                A = pa, Lda = lda, TransA = transA,
                B = pb, Ldb = ldb, TransB = transB,
                C = pc, Ldc = ldc,
                M = m, N = n, K = k,
                Accumulate = accumulate,
                Bias = bias.IsEmpty ? null : pBias,
                BiasPerRow = biasPerRow,
                Path = path == GemmPath.Auto ? BestPath : path,
            };
            Partition(ref job, maxThreads);
            if (job.Threads == 1)
            {
                RunPart(in job, 0);
            }
            else
            {
                WorkerPool.Run(job.Threads, job.Parts, &RunSlab, &job);
            }
        }
    }

    private static GemmPath DetectBestPath()
        => IsSupported(GemmPath.Vector512) ? GemmPath.Vector512
        : IsSupported(GemmPath.Vector256) ? GemmPath.Vector256
        : GemmPath.Scalar;

    private static void CheckArguments(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), Invariant($"Matrix sizes must be non-negative; got m={m}, n={n}, k={k}."));
        }

        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        CheckStorage(nameof(a), a.Length, aRows, aCols, lda);
        CheckStorage(nameof(b), b.Length, bRows, bCols, ldb);
        CheckStorage(nameof(c), c.Length, m, n, ldc);
    }

    private static void CheckStorage(string name, int length, int rows, int cols, int ld)
    {
        if (ld < cols && rows > 0)
        {
            throw new ArgumentOutOfRangeException(name, Invariant($"Leading dimension of {name} must be at least its column count {cols}; got {ld}."));
        }

        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
        {
            throw new ArgumentException(Invariant($"Span {name} must hold a {rows}x{cols} matrix with leading dimension {ld} ({needed} elements); got {length}."), name);
        }
    }
}
