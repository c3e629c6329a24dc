namespace Autoencoder.Benchmarks.Kernels;

/// <summary>Which of a dense layer's three products a benchmark case runs.</summary>
public enum GemmProduct
{
    /// <summary>Forward <c>X·W</c>: m = batch, k = inputs, n = outputs.</summary>
    Forward,

    /// <summary>Input gradient <c>dZ·Wᵀ</c>: m = batch, k = outputs, n = inputs (transB).</summary>
    InputGradient,

    /// <summary>Weight gradient <c>Xᵀ·dZ</c>: m = inputs, k = batch, n = outputs (transA).</summary>
    WeightGradient,
}

/// <summary>One GEMM of a layer with <c>Inputs×Outputs</c> weights at batch size <c>Batch</c>.</summary>
public readonly record struct GemmCase(int Batch, int Inputs, int Outputs, GemmProduct Product)
{
    /// <summary>Layer shapes of the autoencoders this library targets.</summary>
    public static readonly (int Inputs, int Outputs)[] Layers =
        [(784, 128), (128, 784), (784, 32), (32, 784), (784, 1000), (1000, 500), (500, 250), (250, 30)];

    public bool TransA => Product == GemmProduct.WeightGradient;

    public bool TransB => Product == GemmProduct.InputGradient;

    public int M => Product == GemmProduct.WeightGradient ? Inputs : Batch;

    public int N => Product == GemmProduct.InputGradient ? Inputs : Outputs;

    public int K => Product switch
    {
        GemmProduct.Forward => Inputs,
        GemmProduct.InputGradient => Outputs,
        _ => Batch,
    };

    /// <summary>Floating-point operations of the product: one multiply and one add per term.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Stored rows × columns of A (k×m when transposed).</summary>
    public (int Rows, int Cols) AShape => TransA ? (K, M) : (M, K);

    /// <summary>Stored rows × columns of B (n×k when transposed).</summary>
    public (int Rows, int Cols) BShape => TransB ? (N, K) : (K, N);

    public override string ToString() => $"{Inputs}x{Outputs} {Product} (m={M} n={N} k={K})";
}
