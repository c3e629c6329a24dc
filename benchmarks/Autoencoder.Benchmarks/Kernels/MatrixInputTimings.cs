using System.Diagnostics;
using System.Globalization;
using Autoencoder.Kernels;
using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Benchmarks.Kernels;

/// <summary>
/// Where the time of a matrix call's first layer goes (<c>--matrix-input [model] [rows] [block]</c>,
/// default M1, 8,192 rows, blocks of 256): the model's first dense layer over a MathNet-layout
/// (column-major) input of <c>rows</c> uniform samples, block by block on one thread, each way a
/// block can reach the product: checked where it lies, gathered with and without prefetching
/// (<see cref="StridedRuns.CopyFinite"/>), transposed into rows; and the product feature-major from
/// the matrix, feature-major from a gathered block, and row-major from a transposed one. Means over
/// six seconds of rounds after two untimed seconds; every phase of a round runs over all the rows.
/// </summary>
internal static class MatrixInputTimings
{
    public static void Run(string[] args)
    {
        string name = args.Length > 0 ? args[0] : "M1";
        int rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8192;
        int block = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 256;
        if (rows % block != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The rows ({rows}) must be a multiple of the block ({block})."));
        }

        Parallelism.MaxDegreeOfParallelism = 1;
        Network network = ReferenceModels.Build(name).Network;
        var dense = (DenseLayer)network.Layers[0];
        int width = dense.Inputs;
        var random = new Random(1);
        var x = new float[rows * width]; // column-major rows × width, as MathNet stores it
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle();
        }

        var gathered = new float[block * width];
        var transposed = new float[block * width];
        var z = new float[block * dense.Outputs];
        string[] phases =
        [
            "check each feature's run where it lies",
            "check and copy each run, no prefetch",
            "StridedRuns.CopyFinite (prefetching)",
            "Transpose.Block into rows",
            "check the whole input in storage order (once)",
            "product feature-major, from the matrix",
            "product feature-major, from the gathered block",
            "product row-major, from the transposed block",
        ];
        var times = new double[phases.Length];
        int rounds = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 8)
        {
            bool timed = clock.Elapsed.TotalSeconds > 2;
            rounds += timed ? 1 : 0;
            for (int phase = 0; phase < phases.Length; phase++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int first = 0; first < rows; first += block)
                {
                    var columns = new ReadOnlySpan<float>(x, first, ((width - 1) * rows) + block);
                    bool finite = phase switch
                    {
                        0 => CheckRuns(columns, rows, width, block),
                        1 => CopyRuns(columns, rows, width, block, gathered),
                        2 => StridedRuns.CopyFinite(columns, rows, width, block, gathered),
                        3 => Transposed(columns, rows, width, block, transposed),
                        4 => first > 0 || Finite.All(x),
                        5 => FeatureMajor(dense, network.Parameters, columns, rows, block, z),
                        6 => FeatureMajor(dense, network.Parameters, gathered, block, block, z),
                        _ => RowMajor(dense, network.Parameters, transposed, block, z),
                    };
                    if (!finite)
                    {
                        throw new InvalidOperationException("The generated samples must be finite.");
                    }
                }

                times[phase] += timed ? Stopwatch.GetElapsedTime(start).TotalMilliseconds : 0;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}'s first layer ({width} → {dense.Outputs}), {rows} column-major rows in blocks of {block}, one thread, mean of {rounds} rounds"));
        Console.WriteLine("| phase | ms per call |");
        Console.WriteLine("|---|---:|");
        for (int p = 0; p < phases.Length; p++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {phases[p]} | {times[p] / rounds:F3} |"));
        }
    }

    private static bool CheckRuns(ReadOnlySpan<float> columns, int stride, int width, int block)
    {
        for (int i = 0; i < width; i++)
        {
            if (!Finite.All(columns.Slice(i * stride, block)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool CopyRuns(ReadOnlySpan<float> columns, int stride, int width, int block, Span<float> destination)
    {
        for (int i = 0; i < width; i++)
        {
            ReadOnlySpan<float> run = columns.Slice(i * stride, block);
            if (!Finite.All(run))
            {
                return false;
            }

            run.CopyTo(destination.Slice(i * block, block));
        }

        return true;
    }

    private static bool Transposed(ReadOnlySpan<float> columns, int stride, int width, int block, Span<float> destination)
    {
        Transpose.Block(columns, stride, width, block, destination, width);
        return true;
    }

    private static bool FeatureMajor(DenseLayer dense, float[] parameters, ReadOnlySpan<float> x, int stride, int block, Span<float> z)
    {
        dense.ForwardFeatureMajor(parameters, x, stride, block, z);
        return true;
    }

    private static bool RowMajor(DenseLayer dense, float[] parameters, ReadOnlySpan<float> rows, int block, Span<float> z)
    {
        dense.Forward(parameters, rows, block, z, z);
        return true;
    }
}
