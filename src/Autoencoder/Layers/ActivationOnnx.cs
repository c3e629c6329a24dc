using Autoencoder.Activations;

namespace Autoencoder.Layers;

/// <summary>The ONNX nodes of each activation, shared by the layers that apply one.</summary>
internal static class ActivationOnnx
{
    /// <summary>Appends the nodes of <c>a = f(z)</c>; returns the name of <c>a</c> (<paramref name="output"/> when given).</summary>
    public static string Emit(IOnnxGraph graph, Activation activation, string prefix, string z, string? output)
    {
        switch (activation)
        {
            case Activation.Identity:
                return output is null || output == z ? z : graph.Node("Identity", Invariant($"{prefix}/Identity"), [z], output);
            case Activation.Relu:
            case Activation.Sigmoid:
            case Activation.Tanh:
            case Activation.Softplus:
                string op = activation.ToString();
                return graph.Node(op, Invariant($"{prefix}/{op}"), [z], output);
            case Activation.LeakyRelu:
                return graph.Node("LeakyRelu", Invariant($"{prefix}/LeakyRelu"), [z], output, ("alpha", LeakyRelu.Slope));
            case Activation.Elu:
                return graph.Node("Elu", Invariant($"{prefix}/Elu"), [z], output, ("alpha", 1f));
            case Activation.Gelu:
                // The exact (erf) GELU of Activations/Gelu.cs: z·Φ(z) = 0.5·z·(1 + erf(z/√2)).
                string scaled = graph.Node("Mul", Invariant($"{prefix}/Gelu/Scale"), [z, graph.Scalar((float)(1 / Math.Sqrt(2)))], null);
                string erf = graph.Node("Erf", Invariant($"{prefix}/Gelu/Erf"), [scaled], null);
                string onePlus = graph.Node("Add", Invariant($"{prefix}/Gelu/AddOne"), [erf, graph.Scalar(1f)], null);
                string product = graph.Node("Mul", Invariant($"{prefix}/Gelu/TimesZ"), [z, onePlus], null);
                return graph.Node("Mul", Invariant($"{prefix}/Gelu/Half"), [product, graph.Scalar(0.5f)], output);
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), Invariant($"activation must be one of {string.Join(", ", Enum.GetNames<Activation>())}; got {activation}."));
        }
    }
}
