using System.Text;
using Autoencoder.Layers;

namespace Autoencoder;

public sealed partial class AutoencoderModel
{
    /// <summary>
    /// A Keras-style table of the model: one row per step of its pipeline (name as in the model
    /// file, kind, output shape, parameter count with any non-trainable state, activation,
    /// options), the row that produces the code marked, then the variant and the totals
    /// (non-trainable: batch normalization's running statistics). Numbers are formatted in the invariant
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
        int codeRow = _network.LayerEnds[_network.EncoderLayerCount - 1] - 1;
        var specIndex = new Dictionary<Layer, int>();
        for (int i = 0; i < _network.SpecLayers.Count; i++)
        {
            specIndex[_network.SpecLayers[i]] = i;
        }

        for (int l = 0; l < _network.Layers.Count; l++)
        {
            Layer layer = _network.Layers[l];
            string kind = layer is TiedDenseLayer tied ? Invariant($"dense, tied to {tied.Source.Name}") : layer.Kind;
            string shape = layer is GaussianHeadLayer head ? Invariant($"({head.Latent}) + ({head.Latent})") : layer.OutputShape.ToString();
            if (l == codeRow)
            {
                shape += " ← code";
            }

            string options = layer switch
            {
                _ when specIndex.TryGetValue(layer, out int index) => Options(Layers[index].Options),
                DropoutLayer dropout => Invariant($"rate {dropout.Rate}"),
                BatchNormLayer norm => Invariant($"momentum {norm.Momentum}, ε {norm.Epsilon.ToString("0.######e0", System.Globalization.CultureInfo.InvariantCulture)}"),
                _ => "",
            };
            long parameters = (long)layer.ParameterCount + layer.StateCount;
            rows.Add([layer.Name, kind, shape, Invariant($"{parameters:N0}"), layer.Description, options]);
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

        long all = (long)ParameterCount + _network.State.Length;
        text.Append(Invariant($"Total params: {all:N0} ({all * (double)sizeof(float) / 1024:N1} KiB)\n"));
        text.Append(Invariant($"Trainable params: {ParameterCount:N0}\n"));
        text.Append(Invariant($"Non-trainable params: {_network.State.Length:N0}\n"));
        return text.ToString();
    }

    /// <summary>The model's <see cref="Summary"/>.</summary>
    public override string ToString() => Summary();

    /// <summary>A dense layer's penalties (its dropout and batch normalization have rows of their own).</summary>
    private static string Options(LayerOptions options)
    {
        var parts = new List<string>();
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
