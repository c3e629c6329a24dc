using Microsoft.ML.OnnxRuntime;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>
/// One ONNX Runtime session (CPU execution provider) on one of our ONNX exports, with the input and
/// output tensors of each run preallocated over managed arrays: what a user deploying the exported
/// model would write.
/// </summary>
internal sealed class OrtSide : IDisposable
{
    private readonly SessionOptions _options;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    /// <summary>Opens a session on <paramref name="onnx"/> with <see cref="CreateOptions"/>.</summary>
    /// <param name="onnx">The exported model.</param>
    /// <param name="inputWidth">Values per input row.</param>
    /// <param name="outputWidth">Values per output row.</param>
    /// <param name="scalarPerRow">Whether the output has shape <c>[batch]</c> (the detector's score) rather than <c>[batch, outputWidth]</c>; then <paramref name="outputWidth"/> is 1.</param>
    /// <param name="threads">ONNX Runtime's <c>IntraOpNumThreads</c>.</param>
    /// <param name="spinning">Whether the intra-op threads spin during a run.</param>
    public OrtSide(byte[] onnx, int inputWidth, int outputWidth, bool scalarPerRow, int threads, bool spinning)
    {
        ModelBytes = onnx.Length;
        InputWidth = inputWidth;
        OutputWidth = outputWidth;
        ScalarPerRow = scalarPerRow;
        _options = CreateOptions(threads, spinning);
        Session = new InferenceSession(onnx, _options);
        _inputNames = [Session.InputNames.Single()];
        _outputNames = [Session.OutputNames.Single()];
    }

    /// <summary>The session.</summary>
    public InferenceSession Session { get; }

    /// <summary>Size of the exported ONNX model in bytes.</summary>
    public long ModelBytes { get; }

    /// <summary>Values per input row.</summary>
    public int InputWidth { get; }

    /// <summary>Values per output row.</summary>
    public int OutputWidth { get; }

    /// <summary>Whether the output is one value per row of shape <c>[batch]</c>.</summary>
    public bool ScalarPerRow { get; }

    /// <summary>
    /// The session settings of every thread count: <c>IntraOpNumThreads</c> = <paramref name="threads"/>
    /// (which counts the calling thread), <c>InterOpNumThreads</c> = 1, <c>ORT_SEQUENTIAL</c>,
    /// <c>ORT_ENABLE_ALL</c>; and the spinning setting <see cref="SpinningSetting"/> describes.
    /// </summary>
    public static SessionOptions CreateOptions(int threads, bool spinning)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (spinning)
        {
            // Spinning stays on while a Run is in progress (ONNX Runtime's default), but stops as soon
            // as the Run returns: both sides run in this process, one after the other, and threads
            // left spinning after ORT's turn would take the cores from ours.
            options.AddSessionConfigEntry("session.force_spinning_stop", "1");
        }
        else
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        return options;
    }

    /// <summary>The spinning setting in words, for the report's header.</summary>
    public static string SpinningSetting(bool spinning) => spinning
        ? "intra-op spinning on during each `Run` (`session.intra_op.allow_spinning` left at its default, 1), stopped when the `Run` returns (`session.force_spinning_stop` = 1)"
        : "intra-op spinning off (`session.intra_op.allow_spinning` = 0)";

    /// <summary>
    /// A preallocated input (<c>[rows, InputWidth]</c>) and output pair: tensors over
    /// <see cref="Tensors.Input"/> and <see cref="Tensors.Output"/> (row-major), which stay pinned
    /// until the pair is disposed.
    /// </summary>
    public Tensors Allocate(int rows) =>
        new(rows, InputWidth, OutputWidth, ScalarPerRow ? [rows] : [rows, OutputWidth]);

    /// <summary>One run from <paramref name="tensors"/>' input into its output; allocates no tensors.</summary>
    public void Run(Tensors tensors) =>
        Session.Run(_runOptions, _inputNames, tensors.InputValues, _outputNames, tensors.OutputValues);

    /// <inheritdoc/>
    public void Dispose()
    {
        Session.Dispose();
        _runOptions.Dispose();
        _options.Dispose();
    }

    /// <summary>Input and output arrays and the ONNX Runtime tensors over them.</summary>
    internal sealed class Tensors : IDisposable
    {
        /// <summary>Allocates the arrays and the tensors over them.</summary>
        public Tensors(int rows, int inputWidth, int outputWidth, long[] outputShape)
        {
            Input = new float[rows * inputWidth];
            Output = new float[rows * outputWidth];
            InputValues = [OrtValue.CreateTensorValueFromMemory(Input, [rows, inputWidth])];
            OutputValues = [OrtValue.CreateTensorValueFromMemory(Output, outputShape)];
        }

        /// <summary>The input, row-major.</summary>
        public float[] Input { get; }

        /// <summary>The output, row-major.</summary>
        public float[] Output { get; }

        /// <summary>The input tensor, for <c>Run</c>.</summary>
        public OrtValue[] InputValues { get; }

        /// <summary>The output tensor, for <c>Run</c>.</summary>
        public OrtValue[] OutputValues { get; }

        /// <inheritdoc/>
        public void Dispose()
        {
            InputValues[0].Dispose();
            OutputValues[0].Dispose();
        }
    }
}
