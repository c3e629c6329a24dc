using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

public class GemmTests
{
    /// <summary>
    /// Allowed error, per summed term, relative to <c>Σ|a·b|</c> (plus <c>|C₀|</c> when
    /// accumulating). Summing k products in float, fused or not, in any fixed order errs by
    /// at most about <c>k·u·Σ|a·b|</c> (u = 2⁻²⁴, Higham's γₖ); KC blocking adds one rounding
    /// per block, and the reference rounds once. Two units per term, over k + 4 terms,
    /// covers all of that; a wrong index or a missed term is off by O(|a·b|), far above it.
    /// </summary>
    private const double ToleranceUnitsPerTerm = 2.0 / (1 << 24);

    /// <summary>Shapes (m, n, k) from {1, 3, 7, 15, 17, 33, 255, 257, 1000}: every size in every role, edges of all tiles.</summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (3, 7, 17), (7, 3, 1), (15, 17, 33), (17, 33, 7), (33, 15, 3), (1, 33, 255),
        (1, 257, 17), (1, 1000, 33), (3, 1000, 15), (7, 255, 257), (255, 17, 15), (257, 33, 17),
        (17, 257, 33), (33, 255, 257), (1000, 7, 33), (15, 3, 1000), (257, 15, 1000), (1000, 33, 1),

        // Large enough (4M multiply-adds) to run on two threads.
        (257, 255, 65),
    ];

    // Paths travel as names: the enum is internal, and xunit theories must be public.
    public static TheoryData<string, bool, bool> PathsAndTransposes()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (GemmPath path in SupportedPaths())
        {
            foreach (bool transA in (bool[])[false, true])
            {
                foreach (bool transB in (bool[])[false, true])
                {
                    data.Add(path.ToString(), transA, transB);
                }
            }
        }

        return data;
    }

    /// <summary>A fixed seed per case (HashCode is randomised per process, so it would change the inputs from run to run).</summary>
    private static int Seed(GemmPath path, bool transA, bool transB) => (100 * (int)path) + (transA ? 10 : 0) + (transB ? 1 : 0);

    [Theory]
    [MemberData(nameof(PathsAndTransposes))]
    public void Multiply_MatchesReference(string pathName, bool transA, bool transB)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var random = new Random(Seed(path, transA, transB));
        foreach ((int m, int n, int k) in Shapes)
        {
            foreach (bool accumulate in (bool[])[false, true])
            {
                CheckAgainstReference(path, transA, transB, m, n, k, accumulate, random);
            }
        }
    }

    [Theory]
    [MemberData(nameof(PathsAndTransposes))]
    public void Multiply_WithBias_MatchesReferencePlusBias(string pathName, bool transA, bool transB)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var random = new Random(Seed(path, transA, transB) + 7);
        foreach ((int m, int n, int k) in Shapes)
        {
            CheckAgainstReference(path, transA, transB, m, n, k, accumulate: false, random, withBias: true);
        }
    }

    [Fact]
    public void Multiply_BiasWithAccumulateOrTooShort_Throws()
    {
        float[] buffer = new float[16];
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyOn(GemmPath.Auto, 1, false, false, 2, 2, 2, buffer, 2, buffer, 2, buffer, 2, accumulate: true, bias: buffer));
        var e = Assert.Throws<ArgumentException>(() => Gemm.MultiplyOn(GemmPath.Auto, 1, false, false, 2, 3, 2, buffer, 2, buffer, 3, buffer, 3, accumulate: false, bias: new float[2]));
        Assert.Contains("at least n = 3 entries", e.Message);
    }

    [Fact]
    public void Multiply_BiasPerRowTooShort_ThrowsNamingM()
    {
        float[] buffer = new float[16];
        var e = Assert.Throws<ArgumentException>(() => Gemm.MultiplyOn(GemmPath.Auto, 1, false, false, 3, 2, 2, buffer, 2, buffer, 2, buffer, 2, accumulate: false, bias: new float[2], biasPerRow: true));
        Assert.Contains("at least m = 3 entries; got accumulate = False and 2 entries", e.Message);
    }

    /// <summary>
    /// <c>Cᵀ = op(B)ᵀ·op(A)ᵀ</c> with the bias per row must give the bits of <c>C = op(A)·op(B)</c>
    /// with the bias per column, on every path and thread count: the matrix calls compute a last
    /// layer that way, straight into MathNet's column-major storage. Shapes with edge tiles on both
    /// sides and one to four depth blocks; never a single row or column (a one-row product has its
    /// own kernel).
    /// </summary>
    [Theory]
    [MemberData(nameof(Transposes))]
    public void Multiply_BiasPerRow_GivesTheTransposedProductsBits(bool transA, bool transB)
    {
        var random = new Random(57 + (transA ? 2 : 0) + (transB ? 1 : 0));
        (int M, int N, int K)[] shapes = [(2, 2, 1), (256, 784, 32), (37, 130, 300), (7, 33, 513), (64, 6, 256), (100, 1000, 784)];
        foreach ((int m, int n, int k) in shapes)
        {
            float[] a = RandomValues(m * k, random);
            float[] b = RandomValues(k * n, random);
            float[] bias = RandomValues(n, random);
            int lda = transA ? m : k, ldb = transB ? k : n;
            float[] expected = new float[m * n];
            Gemm.MultiplyOn(GemmPath.Scalar, 1, transA, transB, m, n, k, a, lda, b, ldb, expected, n, accumulate: false, bias);
            foreach (GemmPath path in SupportedPaths())
            {
                foreach (int threads in (int[])[1, 2])
                {
                    // op(B)ᵀ is B read with the opposite transpose flag, op(A)ᵀ likewise.
                    float[] transposed = new float[n * m];
                    Gemm.MultiplyOn(path, threads, !transB, !transA, n, m, k, b, ldb, a, lda, transposed, m, accumulate: false, bias, biasPerRow: true);
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            float want = expected[(i * n) + j], got = transposed[(j * m) + i];
                            Assert.True(
                                BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got),
                                $"{path}, {threads} threads, m={m} n={n} k={k}: C[{i},{j}] is {want:R}, the transposed product's {got:R}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void SupportedPaths_IncludeEveryPathTheProcessorHas()
    {
        // Guards the theory above against silently testing fewer kernels than this machine runs.
        GemmPath[] paths = SupportedPaths();
        Assert.Contains(GemmPath.Scalar, paths);
        Assert.Contains(Gemm.BestPath, paths);
        if (Gemm.BestPath == GemmPath.Vector512)
        {
            Assert.Contains(GemmPath.Vector256, paths);
        }
    }

    // Column slabs for wide outputs (n ≥ 500 here), row slabs for narrow ones (n ≤ 100),
    // one-row products by columns.
    [Theory]
    [InlineData(false, false, 256, 1000, 784)]
    [InlineData(false, true, 256, 784, 1000)]
    [InlineData(true, false, 784, 1000, 256)]
    [InlineData(true, false, 1000, 500, 256)]
    [InlineData(false, false, 257, 999, 1001)]
    [InlineData(true, false, 784, 32, 256)]
    [InlineData(false, false, 1000, 30, 257)]
    [InlineData(false, true, 700, 100, 300)]
    [InlineData(false, false, 1, 1000, 784)]
    [InlineData(false, true, 1, 1000, 500)]
    public void Multiply_IsBitIdenticalAcrossThreadCounts(bool transA, bool transB, int m, int n, int k)
    {
        var random = new Random(m + n + k);
        float[] a = RandomValues(m * k, random);
        float[] b = RandomValues(k * n, random);
        float[] start = RandomValues(m * n, random);
        int lda = transA ? m : k, ldb = transB ? k : n;
        foreach (bool accumulate in (bool[])[false, true])
        {
            float[] single = (float[])start.Clone();
            Gemm.MultiplyOn(Gemm.BestPath, 1, transA, transB, m, n, k, a, lda, b, ldb, single, n, accumulate);
            foreach (int threads in (int[])[2, 3])
            {
                float[] parallel = (float[])start.Clone();
                Gemm.MultiplyOn(Gemm.BestPath, threads, transA, transB, m, n, k, a, lda, b, ldb, parallel, n, accumulate);
                int mismatch = FirstBitDifference(single, parallel);
                Assert.True(mismatch < 0, $"{threads} threads differ from 1 at index {mismatch}: {(mismatch < 0 ? 0 : parallel[mismatch])} vs {(mismatch < 0 ? 0 : single[mismatch])}");
            }
        }
    }

    /// <summary>
    /// Every supported path must give the same bits as the portable one: shapes with one and two
    /// depth blocks (k = 256 is the block), one-row products (their own kernels), edge tiles of
    /// every path, accumulation and a bias.
    /// </summary>
    [Theory]
    [MemberData(nameof(Transposes))]
    public void Multiply_EveryPath_GivesThePortableBits(bool transA, bool transB)
    {
        var random = new Random(31 + (transA ? 2 : 0) + (transB ? 1 : 0));
        (int M, int N, int K)[] shapes = [.. Shapes, (1, 37, 256), (1, 37, 257), (1, 70, 1001), (2, 33, 300), (13, 50, 513), (7, 19, 256)];
        foreach ((int m, int n, int k) in shapes)
        {
            float[] a = RandomValues(m * k, random);
            float[] b = RandomValues(k * n, random);
            float[] start = RandomValues(m * n, random);
            float[] bias = RandomValues(n, random);
            int lda = transA ? m : k, ldb = transB ? k : n;
            foreach ((bool accumulate, bool withBias) in ((bool, bool)[])[(false, false), (true, false), (false, true)])
            {
                float[] portable = (float[])start.Clone();
                Gemm.MultiplyOn(GemmPath.Scalar, 1, transA, transB, m, n, k, a, lda, b, ldb, portable, n, accumulate, withBias ? bias : default);
                foreach (GemmPath path in SupportedPaths())
                {
                    float[] c = (float[])start.Clone();
                    Gemm.MultiplyOn(path, 2, transA, transB, m, n, k, a, lda, b, ldb, c, n, accumulate, withBias ? bias : default);
                    int mismatch = FirstBitDifference(portable, c);
                    Assert.True(
                        mismatch < 0,
                        $"{path} m={m} n={n} k={k} accumulate={accumulate} bias={withBias}: index {mismatch} is {(mismatch < 0 ? 0 : c[mismatch]):R}, portable {(mismatch < 0 ? 0 : portable[mismatch]):R}");
                }
            }
        }
    }

    public static TheoryData<bool, bool> Transposes() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Fact]
    public void Multiply_ConcurrentCallersOfBackToBackProducts_GetSingleThreadBits()
    {
        // Exercises the slab hand-out: helpers waking late, products published while
        // helpers are still finishing, and callers finding the helpers busy.
        const int M = 70, N = 300, K = 200;
        var random = new Random(11);
        float[][] lefts = [RandomValues(M * K, random), RandomValues(M * K, random)];
        float[] right = RandomValues(K * N, random);
        float[][] expected = new float[2][];
        for (int i = 0; i < 2; i++)
        {
            expected[i] = new float[M * N];
            Gemm.MultiplyOn(Gemm.BestPath, 1, false, false, M, N, K, lefts[i], K, right, N, expected[i], N, accumulate: false);
        }

        Parallel.For(0, 2, caller =>
        {
            float[] c = new float[M * N];
            for (int round = 0; round < 150; round++)
            {
                Gemm.MultiplyOn(Gemm.BestPath, 3, false, false, M, N, K, lefts[caller], K, right, N, c, N, accumulate: false);
                int mismatch = FirstBitDifference(expected[caller], c);
                Assert.True(mismatch < 0, $"caller {caller} round {round}: index {mismatch} differs");
            }
        });
    }

    [Theory]
    [InlineData(false, false, 256, 1000, 784, 1)]
    [InlineData(false, false, 256, 1000, 784, 2)]
    [InlineData(true, false, 300, 40, 50, 2)]
    [InlineData(false, true, 1, 500, 1000, 2)]
    public void Multiply_AllocatesNothingAfterWarmUp(bool transA, bool transB, int m, int n, int k, int threads)
    {
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        int lda = transA ? m : k, ldb = transB ? k : n;
        Gemm.MultiplyOn(Gemm.BestPath, threads, transA, transB, m, n, k, a, lda, b, ldb, c, n, accumulate: false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            Gemm.MultiplyOn(Gemm.BestPath, threads, transA, transB, m, n, k, a, lda, b, ldb, c, n, accumulate: true);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Multiply_UsesStaticSettings()
    {
        int savedThreads = WorkerPool.MaxDegreeOfParallelism;
        GemmPath savedPath = Gemm.ForcedPath;
        try
        {
            WorkerPool.MaxDegreeOfParallelism = 1;
            Gemm.ForcedPath = GemmPath.Scalar;
            CheckAgainstReference(GemmPath.Auto, false, false, 33, 40, 50, accumulate: false, new Random(5), useStatic: true);
        }
        finally
        {
            WorkerPool.MaxDegreeOfParallelism = savedThreads;
            Gemm.ForcedPath = savedPath;
        }

        Assert.Equal(Environment.ProcessorCount, WorkerPool.MaxDegreeOfParallelism);
    }

    [Theory]
    [InlineData(0, 5, 7)]
    [InlineData(5, 0, 7)]
    [InlineData(0, 0, 0)]
    public void Multiply_EmptyOutput_LeavesEverythingAlone(int m, int n, int k)
    {
        float[] c = [42f];
        Gemm.Multiply(false, false, m, n, k, new float[m * k], Math.Max(k, 1), new float[k * n], Math.Max(n, 1), c, Math.Max(n, 1), accumulate: false);
        Gemm.Multiply(false, false, m, n, k, new float[m * k], Math.Max(k, 1), new float[k * n], Math.Max(n, 1), Span<float>.Empty, Math.Max(n, 1), accumulate: false);
        Assert.Equal(42f, c[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Multiply_ZeroDepth_ClearsOrKeepsC(bool accumulate)
    {
        foreach (GemmPath path in SupportedPaths())
        {
            float[] c = [1, 2, 3, 4, 5, 6, 7];
            Gemm.MultiplyOn(path, 2, false, false, 2, 3, 0, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 3, c, 4, accumulate);
            float[] expected = accumulate ? [1, 2, 3, 4, 5, 6, 7] : [0, 0, 0, 4, 0, 0, 0];
            Assert.Equal(expected, c);
        }
    }

    [Fact]
    public void Multiply_RejectsBadArguments()
    {
        float[] buffer = new float[100];
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 2, buffer, 2, buffer, 2, buffer, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, -3, buffer, 2, buffer, 2, buffer, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 3, 4, buffer, 3, buffer, 3, buffer, 3, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(true, false, 2, 3, 4, buffer, 1, buffer, 3, buffer, 3, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, true, 2, 3, 4, buffer, 4, buffer, 3, buffer, 3, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 3, 4, buffer, 4, buffer, 3, buffer, 2, false));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 10, 10, 10, buffer, 10, new float[99], 10, buffer, 10, false));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 10, 10, 10, new float[99], 10, buffer, 10, buffer, 10, false));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 10, 10, 10, buffer, 10, buffer, 10, new float[95], 10, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MultiplyOn(GemmPath.Auto, 0, false, false, 2, 2, 2, buffer, 2, buffer, 2, buffer, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.MaxDegreeOfParallelism = 0);
    }

    internal static GemmPath[] SupportedPaths()
        => [.. ((GemmPath[])[GemmPath.Vector512, GemmPath.Vector256, GemmPath.Scalar]).Where(Gemm.IsSupported)];

    /// <summary>
    /// Multiplies random matrices stored with leading dimensions past their widths (padding
    /// filled with NaN in A and B, so a stray read shows, and a sentinel in C, so a stray
    /// write shows) and compares with <see cref="Gemm.Reference"/>.
    /// </summary>
    internal static void CheckAgainstReference(
        GemmPath path, bool transA, bool transB, int m, int n, int k, bool accumulate, Random random, bool useStatic = false, bool withBias = false)
    {
        const float Sentinel = -12345f;
        (int aRows, int aCols) = transA ? (k, m) : (m, k);
        (int bRows, int bCols) = transB ? (n, k) : (k, n);
        int lda = aCols + 3, ldb = bCols + 5, ldc = n + 2;
        float[] a = Padded(aRows, aCols, lda, random, float.NaN);
        float[] b = Padded(bRows, bCols, ldb, random, float.NaN);
        float[] c = Padded(m, n, ldc, random, Sentinel);
        float[] expected = (float[])c.Clone();
        float[] bias = withBias ? RandomValues(n, random) : [];
        if (withBias)
        {
            // Expected: bias + op(A)·op(B), as the reference's accumulation onto C = bias rows.
            for (int i = 0; i < m; i++)
            {
                bias.CopyTo(expected, i * ldc);
            }
        }

        Gemm.Reference(transA, transB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate || withBias);

        // Σ|a·b| (+|C₀| or |bias|) per element, by the same reference on absolute values.
        float[] magnitude = Array.ConvertAll(withBias ? expected : c, Math.Abs);
        if (withBias)
        {
            for (int i = 0; i < m; i++)
            {
                Array.ConvertAll(bias, Math.Abs).CopyTo(magnitude, i * ldc);
            }
        }

        Gemm.Reference(transA, transB, m, n, k, Array.ConvertAll(a, Math.Abs), lda, Array.ConvertAll(b, Math.Abs), ldb, magnitude, ldc, accumulate || withBias);

        if (useStatic)
        {
            Gemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias);
        }
        else
        {
            Gemm.MultiplyOn(path, 2, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias);
        }

        string where = $"{path} transA={transA} transB={transB} m={m} n={n} k={k} accumulate={accumulate} bias={withBias}";
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc && i * ldc + j < c.Length; j++)
            {
                int index = i * ldc + j;
                if (j >= n)
                {
                    Assert.True(c[index] == Sentinel, $"{where}: padding at index {index} ({i},{j}) overwritten with {c[index]}");
                    continue;
                }

                double tolerance = ToleranceUnitsPerTerm * (k + 4) * magnitude[index];
                double error = Math.Abs((double)c[index] - expected[index]);
                Assert.True(error <= tolerance, $"{where}: index {index} ({i},{j}) expected {expected[index]} actual {c[index]} (error {error:E2} > tolerance {tolerance:E2})");
            }
        }
    }

    private static float[] Padded(int rows, int cols, int ld, Random random, float padding)
    {
        float[] values = new float[rows == 0 ? 0 : ((rows - 1) * ld) + cols];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i % ld < cols ? (float)(random.NextDouble() * 2 - 1) : padding;
        }

        return values;
    }

    private static int FirstBitDifference(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static float[] RandomValues(int length, Random random)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
