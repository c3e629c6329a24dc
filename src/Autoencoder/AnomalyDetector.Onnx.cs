using Autoencoder.Anomaly;
using Autoencoder.Serialization;

namespace Autoencoder;

public sealed partial class AnomalyDetector
{
    /// <summary>
    /// Writes the whole detector to <paramref name="path"/> as one ONNX model (opset
    /// <see cref="AutoencoderModel.OnnxOpsetVersion"/>), replacing any file there atomically, so a
    /// service can score with ONNX Runtime alone: input <c>input</c> (<c>[batch, InputSize]</c>, in
    /// original units), the scaler (<c>Sub</c>, <c>Div</c>), the network as
    /// <see cref="AutoencoderModel.ExportOnnx(string, OnnxGraph)"/> writes it, output <c>score</c>
    /// (<c>[batch]</c>: each row's mean squared error, or binary cross-entropy computed from the
    /// logits when the output is a sigmoid, as <see cref="Scores(MathNet.Numerics.LinearAlgebra.Matrix{float})"/>
    /// computes it; equal up to float rounding) and, when <see cref="Threshold"/> is set, output
    /// <c>anomaly</c> (<c>[batch]</c> booleans: score strictly above the threshold).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="NotSupportedException">The score is a reconstruction probability, or a reconstruction error under a loss other than mean squared error and binary cross-entropy.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void ExportOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var buffer = new MemoryStream();
        DetectorOnnx.Write(this, buffer); // refused before the file is touched
        AtomicFile.Write(path, stream => buffer.WriteTo(stream));
    }

    /// <summary>Writes the whole detector to <paramref name="stream"/> as one ONNX model; see <see cref="ExportOnnx(string)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="NotSupportedException">As <see cref="ExportOnnx(string)"/>.</exception>
    public void ExportOnnx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        DetectorOnnx.Write(this, stream);
    }
}
