using System.Runtime.CompilerServices;

namespace Autoencoder.Kernels;

internal static partial class Gemm
{
    /// <summary>
    /// Packed products get one thread per this many multiply-adds (2M, about 12 µs of one
    /// core): measured on 2 Zen cores, 256×128×64 (2M) ran faster alone, 256×128×128 (4M)
    /// nearly twice as fast on two threads.
    /// </summary>
    private const long MinMultiplyAddsPerThread = 1L << 21;

    /// <summary>
    /// One-row products are bound by reading B, not by arithmetic, and each extra core brings
    /// its own cache bandwidth: a helper already paid off at 1×250×500 (125K multiply-adds).
    /// </summary>
    private const long MinRowMultiplyAddsPerThread = 1L << 16;

    /// <summary>
    /// The same while the helpers are awake (<see cref="WorkerPool.Awake"/>), when handing them a
    /// part costs a fraction of a microsecond instead of a wake-up: M2's 784×128 and 128×784 layers
    /// (100K multiply-adds, about 1.5 µs of one core) split; its 64-wide ones do not.
    /// </summary>
    private const long MinAwakeRowMultiplyAddsPerThread = 1L << 15;

    /// <summary>
    /// Columns of a one-row product's slabs are cut at multiples of this: a column group of
    /// <see cref="RowTimesMatrix"/> whose independent chains hide the FMA latency (a 32-column slab
    /// would run half as many at half the rate).
    /// </summary>
    private const int RowSlabColumns = 64;

    /// <summary>
    /// Slabs per thread when a product is split: more slabs than threads, handed out on
    /// demand, so a thread that the OS preempts (a shared or busy machine) delays the
    /// product by one slab, not by its whole share. Measured with static halves on a busy
    /// 2-core machine: two threads were often slower than one.
    /// </summary>
    private const int PartsPerThread = 4;

    /// <summary>Slab count limit: the worker pool's.</summary>
    private const int MaxParts = WorkerPool.MaxParts;

    /// <summary>One product, as raw pointers so helper threads can share it during the call.</summary>
    private unsafe struct Job
    {
        public float* A;
        public nint Lda;
        public bool TransA;
        public float* B;
        public nint Ldb;
        public bool TransB;
        public float* C;
        public nint Ldc;
        public int M;
        public int N;
        public int K;
        public bool Accumulate;
        public GemmPath Path;

        /// <summary>
        /// Row vector added to every row of C (n entries), or with <see cref="BiasPerRow"/> column
        /// vector added to every column (m entries); null for none; only without Accumulate.
        /// </summary>
        public float* Bias;

        /// <summary>Whether <see cref="Bias"/> has an entry per row of C (else per column).</summary>
        public bool BiasPerRow;

        /// <summary>Threads to run on (the caller and Threads − 1 helpers).</summary>
        public int Threads;

        /// <summary>Number of output slabs; threads take them in turn until none is left.</summary>
        public int Parts;

        /// <summary>Whether slabs are row ranges (else column ranges) of C.</summary>
        public bool SplitRows;
    }

    /// <summary>
    /// Register tile and cache blocks of one instruction path. Loop order (outer to inner):
    /// NC columns, KC depth (pack B), MC rows (pack A), NR panel of B, MR panel of A. A
    /// KC×NR panel of B (32 KiB at 256×32) is swept by every A panel of the MC×KC block
    /// (144 KiB, in L2); the KC×NC block of B (1 MiB) sits in L2/L3. On Zen 5, KC from 128
    /// to 512, MC 72 to 288 and NC 512 or 1024 all measured within noise of each other.
    /// </summary>
    /// <param name="Mr">Rows of the register tile.</param>
    /// <param name="Nr">Columns of the register tile.</param>
    /// <param name="Kc">Depth of a block; also fixes where each element's sum is split (<see cref="DepthBlock"/> on every path).</param>
    /// <param name="Mc">Rows of an A block.</param>
    /// <param name="Nc">Columns of a B block.</param>
    private readonly record struct Blocking(int Mr, int Nr, int Kc, int Mc, int Nc);

    /// <summary>
    /// KC of every path. It decides where each element's sum is split (one chain per depth
    /// block, the blocks added in order), so it must be the same on every path for the paths to
    /// give the same bits; the other blocks only decide which elements are computed when.
    /// </summary>
    private const int DepthBlock = 256;

    private static Blocking BlockingOf(GemmPath path) => path switch
    {
        GemmPath.Vector512 => new Blocking(Kernel512Rows, Kernel512Cols, DepthBlock, 144, 1024),
        GemmPath.Vector256 => new Blocking(Kernel256Rows, Kernel256Cols, DepthBlock, 144, 1024),
        _ => new Blocking(KernelScalarRows, KernelScalarCols, DepthBlock, 128, 512),
    };

    /// <summary>
    /// Chooses how many threads the product gets, along which side of C it is cut into
    /// slabs, and how many slabs.
    /// Splitting never touches k, and every element is computed the same way in any slab,
    /// so the choice affects speed only.
    /// </summary>
    private static void Partition(ref Job job, int maxThreads)
    {
        Blocking blocking = BlockingOf(job.Path);
        long work = (long)job.M * job.N * job.K;
        long perThread = job.M > 1 ? MinMultiplyAddsPerThread : WorkerPool.HelpersAwake ? MinAwakeRowMultiplyAddsPerThread : MinRowMultiplyAddsPerThread;
        int threads = (int)Math.Clamp(work / perThread, 1, maxThreads);
        if (job.M == 1)
        {
            // One slab a thread: a one-row product streams B once, and each thread keeps reading the
            // same columns of it call after call (so from its own cache).
            job.SplitRows = false;
            job.Threads = Math.Max(1, Math.Min(threads, (job.N + RowSlabColumns - 1) / RowSlabColumns));
            job.Parts = job.Threads;
            return;
        }

        // Cut C into column slabs where there are enough columns for PartsPerThread slabs a
        // thread: each slab then packs only its own columns of B (once in total), and A is
        // read in place (transposed, or at most 256 columns a slab) instead of repacked per
        // slab; row slabs would each repack all of B (8 slabs of a 256×784×1000 input
        // gradient transpose B eight times). With few columns, row slabs win: each column
        // slab would sweep all of a tall A. Measured as CPU time per product on 2 threads
        // (wall time was swamped by other load on the machine), GFLOP per CPU-second, row
        // vs column slabs: 256×784×1000 input gradient 88-120 vs 160; 256×500×1000 forward
        // 140-144 vs 168-174; 784×1000×256 weight gradient 155 vs 165-178; but 784×128×256
        // weight gradient (4 column tiles) 133-157 vs 127-133.
        int rowTiles = (job.M + blocking.Mr - 1) / blocking.Mr;
        int colTiles = (job.N + blocking.Nr - 1) / blocking.Nr;
        job.SplitRows = job.M > 1 && colTiles < PartsPerThread * threads && rowTiles > colTiles;
        int tiles = job.SplitRows ? rowTiles : colTiles;
        job.Threads = Math.Max(1, Math.Min(threads, tiles));
        job.Parts = job.Threads == 1 ? 1 : Math.Min(Math.Min(tiles, job.Threads * PartsPerThread), MaxParts);
    }

    /// <summary>Slab <paramref name="part"/> of the <see cref="Job"/> at <paramref name="job"/>, as the worker pool calls it.</summary>
    private static unsafe void RunSlab(void* job, int part, int parts) => RunPart(in *(Job*)job, part);

    /// <summary>Computes slab <paramref name="part"/> of <paramref name="job"/>.</summary>
    private static unsafe void RunPart(in Job job, int part)
    {

        Blocking blocking = BlockingOf(job.Path);
        int i0 = 0, i1 = job.M, j0 = 0, j1 = job.N;
        if (job.SplitRows)
        {
            (i0, i1) = SlabRange(job.M, blocking.Mr, job.Parts, part);
        }
        else
        {
            (j0, j1) = SlabRange(job.N, job.M == 1 ? RowSlabColumns : blocking.Nr, job.Parts, part);
        }

        if (i0 >= i1 || j0 >= j1)
        {
            return;
        }

        if (job.M == 1 && !job.TransA)
        {
            // A single row gains nothing from packing: B is read once either way, and
            // packing would read and write it once more. The portable path runs the same
            // arithmetic in scalar code, so a one-row product has the same bits on every path.
            if (job.Path == GemmPath.Scalar)
            {
                RowTimesMatrixScalar(in job, j0, j1);
            }
            else if (job.Path == GemmPath.Vector512 && !job.TransB)
            {
                RowTimesMatrix512(in job, j0, j1);
            }
            else
            {
                RowTimesMatrix(in job, j0, j1);
            }

            if (job.Bias != null)
            {
                // The one output row is still in L1: add the bias before anyone reads it.
                AddBias(job.C + j0, job.Ldc, 1, j1 - j0, job.BiasPerRow ? job.Bias : job.Bias + j0, job.BiasPerRow);
            }
        }
        else
        {
            Blocked(in job, blocking, i0, i1, j0, j1);
        }
    }

    /// <summary>Range of slab <paramref name="part"/> of <paramref name="parts"/> over <paramref name="size"/>, cut at tile boundaries.</summary>
    private static (int Start, int End) SlabRange(int size, int tile, int parts, int part)
    {
        long tiles = (size + tile - 1) / tile;
        int start = (int)(tiles * part / parts) * tile;
        int end = (int)(tiles * (part + 1) / parts) * tile;
        return (Math.Min(start, size), Math.Min(end, size));
    }

    /// <summary>
    /// A row-major A is packed only when its block is reused across more than this many
    /// columns of C. Packing costs a pass over the block; reading in place costs six streams
    /// per tile instead of one. Measured: in place won by 15-45% at n = 30…250 (e.g.
    /// 256×30×250: 101 → 149 GFLOP/s) and lost a few percent, within noise, at n = 500…1000.
    /// Either way the kernel does the same arithmetic, so results do not change.
    /// </summary>
    private const int InPlaceAMaxColumns = 256;

    /// <summary>
    /// Whether full MR-row panels of A are read where they are stored instead of packed.
    /// Always for a stored-transposed A: its MR values per step are already contiguous, so
    /// packing would only copy them (weight gradient at n = 32: 39 → 170 GFLOP/s).
    /// </summary>
    private static bool InPlaceA(in Job job, int columns) => job.TransA || columns <= InPlaceAMaxColumns;

    /// <summary>
    /// A row-major B (k×n: NR values per step already contiguous) is read in place when the
    /// slab has at most this many rows, i.e. when each packed B panel would serve at most
    /// eight register tiles and packing would cost about as much as it saves. Measured at
    /// m = 32 (weight gradient of a 32-input layer): 112 → 120-128 GFLOP/s; at m = 256 no
    /// difference beyond noise, so larger slabs keep the packed, cache-friendly layout.
    /// </summary>
    private const int InPlaceBMaxRows = 48;

    /// <summary>
    /// Nor when its rows lie far apart: a kernel step reads one row of each of KC depth steps, and at
    /// a stride of thousands of floats (often a power of two) those rows fall into few cache sets.
    /// Packing was faster there: a 32 × 8,192 × 784 product with B's rows 8,192 floats apart (M1's
    /// first layer on 8,192 samples, when inference ran on MathNet's column-major storage) took
    /// 15.4 ms in place and 12.6 ms packed.
    /// </summary>
    private const int InPlaceBMaxStride = 2048;

    private static bool InPlaceB(in Job job, int rows) => !job.TransB && rows <= InPlaceBMaxRows && job.Ldb <= InPlaceBMaxStride;

    /// <summary>
    /// The packed, blocked product of rows <paramref name="i0"/>..<paramref name="i1"/> and
    /// columns <paramref name="j0"/>..<paramref name="j1"/> of C, on the calling thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Blocked(in Job job, Blocking blocking, int i0, int i1, int j0, int j1)
    {
        PackBuffers buffers = PackBuffers.ForCurrentThread();
        float* packedA = buffers.A;
        float* packedB = buffers.B;
        int mr = blocking.Mr, nr = blocking.Nr;
        nint aRow = job.TransA ? 1 : job.Lda, aStep = job.TransA ? job.Lda : 1;
        bool inPlaceB = InPlaceB(in job, i1 - i0);
        for (int jc = j0; jc < j1; jc += blocking.Nc)
        {
            int nc = Math.Min(blocking.Nc, j1 - jc);
            bool inPlaceA = InPlaceA(in job, nc);
            for (int pc = 0; pc < job.K; pc += blocking.Kc)
            {
                int kc = Math.Min(blocking.Kc, job.K - pc);

                // The first KC block overwrites C unless the caller accumulates; later blocks
                // add to it. The order of blocks is fixed, so is each element's sum.
                bool overwrite = pc == 0 && !job.Accumulate;
                float* bias = overwrite ? job.Bias : null;
                PackB(in job, pc, kc, jc, nc, nr, packedB, inPlaceB);
                for (int ic = i0; ic < i1; ic += blocking.Mc)
                {
                    int mc = Math.Min(blocking.Mc, i1 - ic);
                    PackA(in job, ic, mc, pc, kc, mr, packedA, inPlaceA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        bool bInPlace = inPlaceB && cols == nr;
                        float* panelB = bInPlace ? job.B + pc * job.Ldb + jc + jr : packedB + (nint)jr * kc;
                        nint bStep = bInPlace ? job.Ldb : nr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            float* c = job.C + (ic + ir) * job.Ldc + jc + jr;
                            float* tileBias = bias == null ? null : job.BiasPerRow ? bias + ic + ir : bias + jc + jr;
                            if (inPlaceA && rows == mr)
                            {
                                float* panelA = job.TransA ? job.A + pc * job.Lda + ic + ir : job.A + (ic + ir) * job.Lda + pc;
                                Tile(job.Path, kc, panelA, aRow, aStep, panelB, bStep, c, job.Ldc, rows, cols, overwrite, tileBias, job.BiasPerRow);
                            }
                            else
                            {
                                Tile(job.Path, kc, packedA + (nint)ir * kc, 1, mr, panelB, bStep, c, job.Ldc, rows, cols, overwrite, tileBias, job.BiasPerRow);
                            }
                        }
                    }
                }
            }
        }
    }
}
