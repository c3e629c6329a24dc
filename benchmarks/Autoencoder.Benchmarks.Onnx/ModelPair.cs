using Autoencoder;
using Autoencoder.Benchmarks.Peers;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>
/// One model on both sides at one thread count: ours, and three ONNX Runtime sessions on its
/// exports, one per <see cref="BatchCall"/>.
/// </summary>
internal sealed class ModelPair : IDisposable
{
    private readonly OrtSide[] _sessions;

    /// <summary>Exports <paramref name="model"/> three ways and opens a session on each.</summary>
    /// <param name="spec">The model's definition.</param>
    /// <param name="model">Our model.</param>
    /// <param name="threads">ONNX Runtime's <c>IntraOpNumThreads</c>; the caller sets ours.</param>
    /// <param name="spinning">Whether ONNX Runtime's intra-op threads spin during a run.</param>
    public ModelPair(ModelSpec spec, AutoencoderModel model, int threads, bool spinning)
    {
        Spec = spec;
        Model = model;
        Threads = threads;
        int width = model.InputSize;
        _sessions =
        [
            new OrtSide(Export(model, OnnxGraph.Encoder), width, model.LatentSize, scalarPerRow: false, threads, spinning),
            new OrtSide(Export(model, OnnxGraph.Autoencoder), width, width, scalarPerRow: false, threads, spinning),
            new OrtSide(ExportDetector(model), width, 1, scalarPerRow: true, threads, spinning),
        ];
    }

    /// <summary>The model's definition.</summary>
    public ModelSpec Spec { get; }

    /// <summary>Our model.</summary>
    public AutoencoderModel Model { get; }

    /// <summary>The thread count of both sides.</summary>
    public int Threads { get; }

    /// <summary>The session that does what <paramref name="call"/> does.</summary>
    public OrtSide Ort(BatchCall call) => _sessions[(int)call];

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (OrtSide session in _sessions)
        {
            session.Dispose();
        }
    }

    private static byte[] Export(AutoencoderModel model, OnnxGraph graph)
    {
        using var stream = new MemoryStream();
        model.ExportOnnx(stream, graph);
        return stream.ToArray();
    }

    /// <summary>
    /// The ONNX export of a detector around <paramref name="model"/> that scores by mean squared
    /// error: no feature scaler (the detector takes none, so the graph starts at the network) and
    /// no threshold (so the graph has only the <c>score</c> output, no <c>anomaly</c> one). Building
    /// it trains nothing; the detector uses the model as it is.
    /// </summary>
    private static byte[] ExportDetector(AutoencoderModel model)
    {
        var detector = new AnomalyDetector(model, AnomalyScore.MeanSquaredError);
        using var stream = new MemoryStream();
        detector.ExportOnnx(stream);
        return stream.ToArray();
    }
}
