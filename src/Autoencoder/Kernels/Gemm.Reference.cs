namespace Autoencoder.Kernels;

internal static partial class Gemm
{
    /// <summary>
    /// Scalar reference for <see cref="Multiply"/>: the textbook triple loop with a double
    /// accumulator, same arguments and storage rules. Kept as the oracle for kernel tests.
    /// </summary>
    public static void Reference(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate)
    {
        CheckArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                }

                c[i * ldc + j] = (float)sum;
            }
        }
    }
}
