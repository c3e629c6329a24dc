using Autoencoder.Activations;
using Autoencoder.Data;
using Autoencoder.Layers;
using Autoencoder.Model;
using Autoencoder.Serialization;

namespace Autoencoder.Anomaly;

/// <summary>
/// A whole <see cref="AnomalyDetector"/> as one ONNX graph: the scaler (<c>(x − offset) / scale</c>),
/// the network, the per-row reconstruction error (mean squared error, or binary cross-entropy from
/// the logits when the output is a sigmoid, as the detector computes it), and, when a threshold is
/// set, whether each score is above it.
/// </summary>
internal static class DetectorOnnx
{
    public const string InputName = "input";
    public const string ScoreName = "score";
    public const string AnomalyName = "anomaly";

    /// <exception cref="NotSupportedException">The detector's score is not a mean-squared-error or binary cross-entropy reconstruction error.</exception>
    public static void Write(AnomalyDetector detector, Stream stream)
    {
        Network network = detector.Model.Network;
        Loss loss = detector.ReconstructionLoss
            ?? throw new NotSupportedException("A reconstruction-probability score draws random codes; ONNX export covers reconstruction-error scores (mean squared error or binary cross-entropy).");
        if (loss != Loss.MeanSquaredError && loss != Loss.BinaryCrossEntropy)
        {
            throw new NotSupportedException(Invariant($"ONNX export covers mean-squared-error and binary cross-entropy scores; this detector scores with {loss}."));
        }

        var graph = new OnnxExport.GraphBuilder();
        int width = network.InputSize;
        string x = InputName;
        if (detector.Scaler is FeatureScaler scaler)
        {
            string offset = graph.Initializer("scaler.offset", [width], scaler.Offset.ToArray());
            string scale = graph.Initializer("scaler.scale", [width], scaler.Scale.ToArray());
            x = graph.Node("Div", "scaler/Div", [graph.Node("Sub", "scaler/Sub", [InputName, offset], null), scale], "scaled");
        }

        // The last layer that acts at inference, emitted on its own so its logits can be named.
        int last = network.Layers.Count - 1;
        while (last > 0 && network.Layers[last].IdentityAtInference)
        {
            last--;
        }

        // Everything in the graph's layout (NCHW for images) up to the output layer's own nodes.
        Layer outputLayer = network.Layers[last];
        string before = last == 0 ? OnnxExport.ToGraphLayout(graph, x, outputLayer.InputShape) : OnnxExport.EmitLayers(graph, network, 0, last, x, null, rowsOut: false);
        string output = outputLayer.EmitOnnx(graph, network.Parameters, network.State, before, outputLayer.OutputShape.IsVector ? "reconstruction" : null);
        string reconstruction = OnnxExport.ToRows(graph, output, outputLayer.OutputShape, "reconstruction", "reconstruction");

        string terms;
        if (loss == Loss.MeanSquaredError)
        {
            string difference = graph.Node("Sub", "score/Sub", [reconstruction, x], null);
            terms = graph.Node("Mul", "score/Square", [difference, difference], null);
        }
        else if (network.OutputActivation == Activation.Sigmoid)
        {
            // max(z, 0) − z·x + log(1 + e^(−|z|)), from the logits z, as the detector computes it.
            string z = outputLayer switch
            {
                ActivationLayer => OnnxExport.ToRows(graph, before, outputLayer.InputShape, "logits", null),
                { OnnxPreActivation: string logits } => OnnxExport.ToRows(graph, logits, outputLayer.OutputShape, "logits", null),
                _ => throw new NotSupportedException(Invariant($"ONNX export of a binary cross-entropy score needs the output layer's logits; the output layer is {outputLayer.Kind}.")),
            };
            string positive = graph.Node("Relu", "score/Relu", [z], null);
            string product = graph.Node("Mul", "score/Mul", [z, x], null);
            string tail = graph.Node("Softplus", "score/Softplus", [graph.Node("Neg", "score/Neg", [graph.Node("Abs", "score/Abs", [z], null)], null)], null);
            terms = graph.Node("Add", "score/Add", [graph.Node("Sub", "score/Sub", [positive, product], null), tail], null);
        }
        else
        {
            // −(x·log p + (1 − x)·log(1 − p)) on probabilities clamped to [1e-7, 1 − 1e-7].
            string p = graph.Node("Clip", "score/Clip", [reconstruction, graph.Scalar(1e-7f), graph.Scalar(1 - 1e-7f)], null);
            string one = graph.Scalar(1f);
            string logP = graph.Node("Log", "score/LogP", [p], null);
            string logQ = graph.Node("Log", "score/LogQ", [graph.Node("Sub", "score/OneMinusP", [one, p], null)], null);
            string sum = graph.Node(
                "Add",
                "score/Add",
                [graph.Node("Mul", "score/XLogP", [x, logP], null), graph.Node("Mul", "score/QLogQ", [graph.Node("Sub", "score/OneMinusX", [one, x], null), logQ], null)],
                null);
            terms = graph.Node("Neg", "score/Neg", [sum], null);
        }

        // The row's mean: a product with a column of 1/n, then the column made a vector.
        var mean = new float[width];
        Array.Fill(mean, 1f / width);
        string weights = graph.Initializer("score.mean", [width, 1], mean);
        string column = graph.Node("MatMul", "score/Mean", [terms, weights], null);
        string score = graph.Node("Reshape", "score/Reshape", [column, graph.Int64Initializer("score.shape", [-1])], ScoreName);

        List<OnnxExport.GraphValue> outputs = [new(score, 0, OnnxExport.TensorProto.Float)];
        if (detector.Threshold is float threshold)
        {
            graph.Node("Greater", "anomaly/Greater", [score, graph.Initializer("threshold", [], new[] { threshold })], AnomalyName);
            outputs.Add(new(AnomalyName, 0, OnnxExport.TensorProto.Bool));
        }

        OnnxExport.WriteModel(
            stream,
            graph,
            "anomaly_detector",
            Invariant($"Anomaly detector: scaler, autoencoder ({width} inputs, {network.LatentSize} latent units) and per-row {loss} score{(detector.Threshold is float t ? Invariant($", anomaly above {t}") : "")}."),
            [new(InputName, width, OnnxExport.TensorProto.Float)],
            [.. outputs]);
    }
}
