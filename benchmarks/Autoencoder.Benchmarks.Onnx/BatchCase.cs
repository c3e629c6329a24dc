using Autoencoder;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>
/// One batch call on both sides, ready to run: the first <see cref="Rows"/> rows of the data as
/// each side takes them (a MathNet matrix or a row-major span for ours, a row-major tensor for ONNX
/// Runtime) and, where the side writes into memory it is given, that memory, all made once.
/// </summary>
internal sealed class BatchCase : IDisposable
{
    private readonly OrtSide.Tensors _tensors;
    private readonly Func<float[]> _oursOutput;
    private readonly Action _forget;

    private BatchCase(ModelPair pair, BatchCall call, BatchApi api, int rows, Action ours, Func<float[]> oursOutput, Action forget, OrtSide.Tensors tensors)
    {
        Pair = pair;
        Call = call;
        Api = api;
        Rows = rows;
        Ours = ours;
        _oursOutput = oursOutput;
        _forget = forget;
        _tensors = tensors;
        OrtSide ort = pair.Ort(call);
        Ort = () => ort.Run(tensors);
    }

    /// <summary>The model on both sides.</summary>
    public ModelPair Pair { get; }

    /// <summary>The call.</summary>
    public BatchCall Call { get; }

    /// <summary>How our side takes the batch.</summary>
    public BatchApi Api { get; }

    /// <summary>Rows per call.</summary>
    public int Rows { get; }

    /// <summary>One call of ours on the whole batch.</summary>
    public Action Ours { get; }

    /// <summary>One ONNX Runtime run on the whole batch, into its preallocated output.</summary>
    public Action Ort { get; }

    /// <summary>Our loss of <see cref="BatchCall.Errors"/>: the mean squared error the detector's <c>score</c> computes.</summary>
    public static Loss ErrorsLoss => Loss.MeanSquaredError;

    /// <summary>Prepares <paramref name="call"/> on the first <paramref name="rows"/> rows of <paramref name="rowMajor"/>.</summary>
    public static BatchCase Create(ModelPair pair, BatchCall call, BatchApi api, float[] rowMajor, int rows)
    {
        AutoencoderModel model = pair.Model;
        OrtSide ort = pair.Ort(call);
        int width = model.InputSize;
        float[] head = rowMajor[..(rows * width)];
        OrtSide.Tensors tensors = ort.Allocate(rows);
        head.CopyTo(tensors.Input);
        return api switch
        {
            BatchApi.Matrix => FromMatrix(pair, call, rows, Matrix<float>.Build.DenseOfRowMajor(rows, width, head), tensors),
            BatchApi.MatrixInto => FromMatrixInto(pair, call, rows, Matrix<float>.Build.DenseOfRowMajor(rows, width, head), tensors),
            BatchApi.Span => FromSpan(pair, call, rows, head, new float[rows * ort.OutputWidth], tensors),
            _ => throw new ArgumentOutOfRangeException(nameof(api), api, "Not a batch API."),
        };
    }

    /// <summary>
    /// Drops our last result, if the call allocated one, so that the collection before a timed
    /// repetition frees it: a caller scoring batch after batch lets each result go.
    /// </summary>
    public void ForgetOurs() => _forget();

    /// <summary>
    /// The largest difference between our last result and ONNX Runtime's last output, over all
    /// rows (see <see cref="ParityCheck.MaxDifference"/>); both sides must have run since the last
    /// <see cref="ForgetOurs"/>.
    /// </summary>
    public float MaxDifference() => ParityCheck.MaxDifference(_oursOutput(), _tensors.Output);

    /// <inheritdoc/>
    public void Dispose() => _tensors.Dispose();

    private static BatchCase FromMatrix(ModelPair pair, BatchCall call, int rows, Matrix<float> x, OrtSide.Tensors tensors)
    {
        AutoencoderModel model = pair.Model;

        // The result of the last call, allocated by it (that is the method); row-major for comparing.
        Matrix<float>? matrix = null;
        Vector<float>? vector = null;
        Action ours = call switch
        {
            BatchCall.Encode => () => matrix = model.Encode(x),
            BatchCall.Reconstruct => () => matrix = model.Reconstruct(x),
            BatchCall.Errors => () => vector = model.ReconstructionErrors(x, ErrorsLoss),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, "Not a batch call."),
        };
        float[] Output() =>
            matrix?.ToRowMajorArray() ?? vector?.ToArray() ?? throw new InvalidOperationException("Our side has not run since its result was dropped.");
        void Forget()
        {
            matrix = null;
            vector = null;
        }

        return new BatchCase(pair, call, BatchApi.Matrix, rows, ours, Output, Forget, tensors);
    }

    private static BatchCase FromMatrixInto(ModelPair pair, BatchCall call, int rows, Matrix<float> x, OrtSide.Tensors tensors)
    {
        AutoencoderModel model = pair.Model;
        Matrix<float> matrix = Matrix<float>.Build.Dense(rows, call == BatchCall.Encode ? model.LatentSize : model.InputSize);
        Vector<float> vector = Vector<float>.Build.Dense(rows);
        Action ours = call switch
        {
            BatchCall.Encode => () => model.Encode(x, matrix),
            BatchCall.Reconstruct => () => model.Reconstruct(x, matrix),
            BatchCall.Errors => () => model.ReconstructionErrors(x, ErrorsLoss, vector),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, "Not a batch call."),
        };
        float[] Output() => call == BatchCall.Errors ? vector.ToArray() : matrix.ToRowMajorArray();

        // The results are preallocated and reused: nothing to drop.
        return new BatchCase(pair, call, BatchApi.MatrixInto, rows, ours, Output, () => { }, tensors);
    }

    private static BatchCase FromSpan(ModelPair pair, BatchCall call, int rows, float[] x, float[] output, OrtSide.Tensors tensors)
    {
        AutoencoderModel model = pair.Model;
        Action ours = call switch
        {
            BatchCall.Encode => () => model.Encode(x, rows, output),
            BatchCall.Reconstruct => () => model.Reconstruct(x, rows, output),
            BatchCall.Errors => () => model.ReconstructionErrors(x, rows, ErrorsLoss, output),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, "Not a batch call."),
        };

        // The output array is preallocated and reused: nothing to drop.
        return new BatchCase(pair, call, BatchApi.Span, rows, ours, () => output, () => { }, tensors);
    }
}
