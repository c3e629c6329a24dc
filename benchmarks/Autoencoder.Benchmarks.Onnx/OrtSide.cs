using Autoencoder;
using Microsoft.ML.OnnxRuntime;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>
/// ONNX Runtime (CPU execution provider) running our model's ONNX export, with the input and
/// output tensors of each run preallocated over managed arrays: what a user deploying the exported
/// model would write.
/// </summary>
internal sealed class OrtSide : IDisposable
{
    private readonly SessionOptions _options;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public OrtSide(AutoencoderModel model, OnnxBenchmarkOptions options)
    {
        using var stream = new MemoryStream();
        model.ExportOnnx(stream, OnnxGraph.Autoencoder);
        ModelBytes = stream.Length;

        _options = new SessionOptions
        {
            IntraOpNumThreads = options.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (!options.OrtSpinning)
        {
            _options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        Session = new InferenceSession(stream.ToArray(), _options);
        _inputNames = [Session.InputNames.Single()];
        _outputNames = [Session.OutputNames.Single()];
    }

    public InferenceSession Session { get; }

    /// <summary>Size of the exported ONNX model in bytes.</summary>
    public long ModelBytes { get; }

    /// <summary>
    /// A preallocated <c>[rows, 784]</c> input and output pair: tensors over
    /// <see cref="Tensors.Input"/> and <see cref="Tensors.Output"/> (row-major), which stay pinned
    /// until the pair is disposed.
    /// </summary>
    public Tensors Allocate(int rows, int columns) => new(rows, columns);

    /// <summary>One run from <paramref name="tensors"/>' input into its output; allocates no tensors.</summary>
    public void Run(Tensors tensors) =>
        Session.Run(_runOptions, _inputNames, tensors.InputValues, _outputNames, tensors.OutputValues);

    public void Dispose()
    {
        Session.Dispose();
        _runOptions.Dispose();
        _options.Dispose();
    }

    /// <summary>Input and output arrays and the ONNX Runtime tensors over them.</summary>
    internal sealed class Tensors : IDisposable
    {
        public Tensors(int rows, int columns)
        {
            long[] shape = [rows, columns];
            Input = new float[rows * columns];
            Output = new float[rows * columns];
            InputValues = [OrtValue.CreateTensorValueFromMemory(Input, shape)];
            OutputValues = [OrtValue.CreateTensorValueFromMemory(Output, shape)];
        }

        public float[] Input { get; }

        public float[] Output { get; }

        public OrtValue[] InputValues { get; }

        public OrtValue[] OutputValues { get; }

        public void Dispose()
        {
            InputValues[0].Dispose();
            OutputValues[0].Dispose();
        }
    }
}
