using Autoencoder;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>
/// One benchmark architecture, built identically on both sides: ReLU on every hidden layer
/// (the latent layer included), a sigmoid output, and the decoder mirroring the encoder.
/// </summary>
/// <param name="Name">Short name used on the command line and in tables (M1, M2, M3).</param>
/// <param name="Encoder">Encoder widths after the input, the last one being the latent size.</param>
/// <param name="Loss">The training loss.</param>
internal sealed record ModelSpec(string Name, int[] Encoder, Loss Loss)
{
    public const int InputSize = 784;

    public static IReadOnlyList<ModelSpec> All { get; } =
    [
        new("M1", [32], Loss.BinaryCrossEntropy),
        new("M2", [128, 64, 32], Loss.BinaryCrossEntropy),
        new("M3", [1000, 500, 250, 30], Loss.MeanSquaredError),
    ];

    /// <summary>Every layer width from input to output, e.g. 784-32-784.</summary>
    public int[] Widths =>
        [InputSize, .. Encoder, .. Encoder[..^1].Reverse(), InputSize];

    public string Shape => string.Join('-', Widths);

    /// <summary>Weights and biases: the layers' products cost 6 flops per weight per sample in training (forward, input gradient, weight gradient).</summary>
    public long Parameters => Widths.Zip(Widths.Skip(1), (inputs, units) => ((long)inputs * units) + units).Sum();

    public string LossName => Loss == Loss.BinaryCrossEntropy ? "BCE" : "MSE";

    public static ModelSpec Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown model '{name}'; expected one of {string.Join(", ", All.Select(m => m.Name))}.");

    /// <summary>Builds our model with the library's default initialisation from <paramref name="seed"/>.</summary>
    public AutoencoderModel BuildOurs(int seed)
    {
        var builder = new AutoencoderBuilder(InputSize);
        foreach (int units in Encoder[..^1])
        {
            builder.AddEncoderLayer(units, Activation.Relu);
        }

        return builder
            .WithLatent(Encoder[^1], Activation.Relu)
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(seed)
            .Build();
    }
}
