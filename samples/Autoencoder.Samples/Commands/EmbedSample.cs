using System.CommandLine;
using Autoencoder.Samples.Data;
using Autoencoder.Samples.Evaluation;
using Autoencoder.Samples.Output;
using Autoencoder.Samples.Rendering;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Commands;

/// <summary>
/// Dimensionality reduction: trains an autoencoder with a 2-D code (or a larger one reduced to its
/// first two principal components) and draws the test images' codes coloured by class. Labels
/// only colour the plot; unlabeled CSV rows are drawn in one colour.
/// </summary>
internal sealed class EmbedSample : Sample
{
    /// <summary>Neighbours in the class-separation figure.</summary>
    public const int Neighbours = 5;

    /// <summary>Most points drawn and used for the neighbour figure.</summary>
    public const int MaxPoints = 2_000;

    /// <inheritdoc/>
    public override string Name => "embed";

    /// <inheritdoc/>
    public override string Description =>
        "Train an autoencoder with a 2-D code (a larger --latent is reduced by PCA) and draw the test images' codes coloured by class.";

    /// <inheritdoc/>
    public override int DefaultEpochs => 30;

    /// <inheritdoc/>
    public override int DefaultLatent => 2;

    /// <inheritdoc/>
    public override void Run(ParseResult parse, SampleSettings settings, SampleConsole console)
    {
        Dataset data = LoadData(settings, console);
        AutoencoderModel model = new AutoencoderBuilder(data.Features)
            .AddEncoderLayer(256, Activation.Relu)
            .AddEncoderLayer(64, Activation.Relu)
            .WithLatent(settings.Latent, Activation.Identity)
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(settings.Seed)
            .Build();
        DescribeModel(model, console);
        TrainingHistory history = console.Train(model, data.Train, Training(settings, Loss.BinaryCrossEntropy));
        SaveLossCurve(settings, console, history, "binary cross-entropy");

        int count = Math.Min(MaxPoints, data.Test.RowCount);
        Matrix<float> test = data.Test.SubMatrix(0, count, 0, data.Features);
        int[]? labels = data.TestLabels?[..count];
        Matrix<float> codes = model.Encode(test);
        string axes = "latent units 1 and 2";
        double[]? explained = null;
        if (codes.ColumnCount > 2)
        {
            (codes, explained) = Pca.Project(codes, 2);
            axes = "first two principal components of the code";
        }
        else if (codes.ColumnCount == 1)
        {
            codes = codes.Append(Matrix<float>.Build.Dense(count, 1));
            axes = "latent unit 1 (one-dimensional code)";
        }

        string scatter = OutputPath(settings, "embedding.png");
        Charts.Scatter(
            scatter,
            codes.Column(0).Select(v => (double)v).ToArray(),
            codes.Column(1).Select(v => (double)v).ToArray(),
            labels,
            data.ClassName,
            explained is null ? "z1" : "PC1",
            explained is null ? "z2" : "PC2");
        console.Line($"wrote {scatter} ({count:N0} test images, {axes})");

        List<(string Name, string Value)> rows = [
            .. TrainingFigures(history),
            ("latent units", model.LatentSize.ToString("N0")),
            ("plotted", axes),
            ("test loss (binary cross-entropy)", model.Evaluate(data.Test, Loss.BinaryCrossEntropy).ToString("F4")),
        ];
        if (explained is not null)
        {
            rows.Add(("variance explained by PC1 + PC2", explained.Sum().ToString("P1")));
        }

        if (labels is not null && count > Neighbours)
        {
            rows.Add(($"{Neighbours}-NN accuracy in the 2-D plot (leave-one-out)", NeighbourAccuracy.LeaveOneOut(codes, labels, Neighbours).ToString("F3")));
        }

        console.Summary("embed: test images in two dimensions", rows);
    }
}
