using System.Runtime.InteropServices;

namespace Autoencoder.Benchmarks.Kernels;

/// <summary>
/// OpenBLAS's <c>cblas_sgemm</c> through P/Invoke, as a native baseline for the GEMM benchmarks
/// when Debian's <c>libopenblas0</c> is installed. The library itself never uses it.
/// </summary>
public static unsafe partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly Lazy<bool> Loadable = new(() => NativeLibrary.TryLoad(Library, out _));

    /// <summary>Whether the native library can be loaded on this machine.</summary>
    public static bool IsAvailable => Loadable.Value;

    /// <summary>Sets the number of threads OpenBLAS uses for the following calls.</summary>
    public static void SetThreads(int threads) => openblas_set_num_threads(threads);

    /// <summary>Row-major <c>C = op(A)·op(B)</c>, the same storage rules as the library's kernel.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            cblas_sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc);
        }
    }

    [LibraryImport(Library)]
    private static partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library)]
    private static partial void openblas_set_num_threads(int threads);
}
