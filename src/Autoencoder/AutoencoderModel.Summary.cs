using System.Text;
using Autoencoder.Activations;

namespace Autoencoder;

public sealed partial class AutoencoderModel
{
    /// <summary>
    /// A Keras-style table of the model: one row per layer (name as in the model file, kind,
    /// output shape, parameter count, activation, training-time options), the row that produces
    /// the code marked, then the variant and the totals. Numbers are formatted in the invariant
    /// culture, so the text is the same on every machine.
    /// </summary>
    /// <example>
    /// For <c>new AutoencoderBuilder(784).AddEncoderLayer(128).WithLatent(32, Activation.Relu).WithOutputActivation(Activation.Sigmoid)</c>:
    /// <code>
    /// Layer      Kind   Output shape  Param #  Activation
    /// ===================================================
    /// encoder.0  dense  (128)         100,480  relu
    /// encoder.1  dense  (32) ← code     4,128  relu
    /// decoder.0  dense  (128)           4,224  relu
    /// decoder.1  dense  (784)         101,136  sigmoid
    /// ===================================================
    /// Total params: 209,968 (820.2 KiB)
    /// Trainable params: 209,968
    /// Non-trainable params: 0
    /// </code>
    /// </example>
    public string Summary()
    {
        var rows = new List<string[]> { new[] { "Layer", "Kind", "Output shape", "Param #", "Activation", "Options" } };
        int encoders = 0, decoders = 0;
        for (int i = 0; i < Layers.Count; i++)
        {
            LayerDescription layer = Layers[i];
            string name = layer.IsEncoder ? Invariant($"encoder.{encoders++}") : Invariant($"decoder.{decoders++}");
            bool code = layer.IsEncoder && i == _network.EncoderLayerCount - 1;
            string kind = layer.TransposedWeights ? Invariant($"dense, tied to encoder.{(2 * _network.EncoderLayerCount) - 1 - i}")
                : code && IsVariational ? "gaussian head"
                : "dense";
            string shape = code && IsVariational ? Invariant($"({LatentSize}) + ({LatentSize})") : Invariant($"({layer.Units})");
            if (code)
            {
                shape += " ← code";
            }

            long parameters = (layer.TransposedWeights ? 0L : (long)layer.Inputs * layer.Units) + layer.Units;
            string activation = code && IsVariational ? "mean, log-variance" : ActivationFunctions.Name(layer.Activation);
            rows.Add([name, kind, shape, Invariant($"{parameters:N0}"), activation, Options(layer.Options)]);
        }

        bool anyOptions = rows.Skip(1).Any(r => r[5].Length > 0);
        int columns = anyOptions ? 6 : 5;
        int[] widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => r[c].Length)).ToArray();
        int total = widths.Sum() + (2 * (columns - 1));
        var text = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            var line = new StringBuilder();
            for (int c = 0; c < columns; c++)
            {
                string cell = rows[r][c];
                line.Append(c == 3 && r > 0 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
                if (c < columns - 1)
                {
                    line.Append("  ");
                }
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
            if (r == 0)
            {
                text.Append('=', total).Append('\n');
            }
        }

        text.Append('=', total).Append('\n');
        foreach (string variant in Variants())
        {
            text.Append(variant).Append('\n');
        }

        text.Append(Invariant($"Total params: {ParameterCount:N0} ({ParameterCount * (double)sizeof(float) / 1024:N1} KiB)\n"));
        text.Append(Invariant($"Trainable params: {ParameterCount:N0}\n"));
        text.Append("Non-trainable params: 0\n");
        return text.ToString();
    }

    /// <summary>The model's <see cref="Summary"/>.</summary>
    public override string ToString() => Summary();

    private static string Options(LayerOptions options)
    {
        var parts = new List<string>();
        if (options.Dropout > 0)
        {
            parts.Add(Invariant($"dropout {options.Dropout}"));
        }

        if (options.ActivityL1 > 0)
        {
            parts.Add(Invariant($"activity L1 {options.ActivityL1}"));
        }

        if (options.ActivityL2 > 0)
        {
            parts.Add(Invariant($"activity L2 {options.ActivityL2}"));
        }

        return string.Join(", ", parts);
    }

    private IEnumerable<string> Variants()
    {
        var spec = _network.Spec;
        if (spec.Variational)
        {
            yield return Invariant($"Variational: z = μ + σ·ε with {LatentSize} latent units; Encode returns μ");
        }

        if (spec.TiedWeights)
        {
            yield return "Tied weights: each decoder layer uses its mirror encoder layer's weights transposed";
        }

        if (spec.SparsityWeight > 0)
        {
            yield return Invariant($"Sparsity penalty: {spec.SparsityWeight}·Σ KL({spec.SparsityTarget} ‖ ρ̂) on the code");
        }

        if (spec.ContractiveWeight > 0)
        {
            yield return Invariant($"Contractive penalty: {spec.ContractiveWeight}·‖∂h/∂x‖²");
        }
    }
}
