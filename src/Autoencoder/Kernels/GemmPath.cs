namespace Autoencoder.Kernels;

/// <summary>Instruction path of the <see cref="Gemm"/> micro-kernel.</summary>
internal enum GemmPath
{
    /// <summary>The fastest path the processor and runtime support (see <see cref="Gemm.BestPath"/>).</summary>
    Auto = 0,

    /// <summary>AVX-512F with FMA: a 6×32 tile held in twelve 512-bit accumulators.</summary>
    Vector512,

    /// <summary>AVX2 with FMA: a 6×16 tile held in twelve 256-bit accumulators.</summary>
    Vector256,

    /// <summary>Portable scalar code for processors or runtimes without usable SIMD.</summary>
    Scalar,
}
