using Autoencoder.Serialization;

namespace Autoencoder;

public sealed partial class AutoencoderModel
{
    /// <summary>The ONNX operator set <see cref="ExportOnnx(string, OnnxGraph)"/> targets (default domain).</summary>
    public const int OnnxOpsetVersion = OnnxExport.Opset;

    /// <summary>
    /// Writes <paramref name="graph"/> of this model to <paramref name="path"/> as an ONNX model
    /// (opset <see cref="OnnxOpsetVersion"/>, IR version 8), replacing any file there atomically.
    /// Each dense layer is a <c>Gemm</c> (<c>z = x·W + b</c>) followed by its activation's
    /// operator: <c>Relu</c>, <c>LeakyRelu</c> (α = 0.01), <c>Sigmoid</c>, <c>Tanh</c>,
    /// <c>Elu</c> (α = 1), <c>Softplus</c>, nothing for identity, and for GELU the exact form
    /// <c>0.5·z·(1 + erf(z/√2))</c> built from <c>Erf</c>, <c>Mul</c> and <c>Add</c>. The weights
    /// are initializers named as in the model file (<c>encoder.0.weight</c>, …); input and output
    /// names are given by <see cref="OnnxGraph"/>, and the batch dimension is dynamic.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="graph"/> is not a defined value.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void ExportOnnx(string path, OnnxGraph graph = OnnxGraph.Autoencoder)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Guard.Defined(graph);
        AtomicFile.Write(path, stream => OnnxExport.Write(this, graph, stream));
    }

    /// <summary>Writes <paramref name="graph"/> of this model to <paramref name="stream"/> as an ONNX model; see <see cref="ExportOnnx(string, OnnxGraph)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="graph"/> is not a defined value.</exception>
    public void ExportOnnx(Stream stream, OnnxGraph graph = OnnxGraph.Autoencoder)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Guard.Defined(graph);
        OnnxExport.Write(this, graph, stream);
    }
}
