using System.CommandLine;
using Autoencoder.Samples.Data;
using Autoencoder.Samples.Evaluation;
using Autoencoder.Samples.Output;
using Autoencoder.Samples.Rendering;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Commands;

/// <summary>
/// Generation: trains a variational autoencoder, decodes draws from the prior into new images and
/// reports the evidence lower bound on held-out images.
/// </summary>
internal sealed class GenerateSample : Sample
{
    /// <summary>The most images one run generates (they are drawn in one PNG grid).</summary>
    public const int MaxCount = 10_000;

    /// <summary>Images generated unless <c>--count</c> is given.</summary>
    public const int DefaultCount = 64;

    /// <summary>Latent draws per row for the held-out ELBO.</summary>
    public const int ElboSamples = 5;

    private readonly Option<int> _count = new("--count")
    {
        Description = "Number of images to generate",
        DefaultValueFactory = _ => DefaultCount,
    };

    /// <inheritdoc/>
    public override string Name => "generate";

    /// <inheritdoc/>
    public override string Description =>
        "Train a variational autoencoder, draw new images from its prior into a PNG grid and report the held-out ELBO.";

    /// <inheritdoc/>
    public override int DefaultEpochs => 30;

    /// <inheritdoc/>
    public override int DefaultLatent => 16;

    /// <inheritdoc/>
    public override void AddOptions(Command command)
    {
        _count.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out int value) && (value < 1 || value > MaxCount))
            {
                result.AddError($"--count must be from 1 to {MaxCount}; got {value}.");
            }
        });
        command.Add(_count);
    }

    /// <inheritdoc/>
    public override void Run(ParseResult parse, SampleSettings settings, SampleConsole console)
    {
        int count = parse.GetValue(_count);
        Dataset data = LoadData(settings, console);
        AutoencoderModel vae = new AutoencoderBuilder(data.Features)
            .AddEncoderLayer(256, Activation.Relu)
            .WithVariationalLatent(settings.Latent)
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(settings.Seed)
            .Build();
        DescribeModel(vae, console);
        TrainingHistory history = console.Train(vae, data.Train, Training(settings, Loss.BinaryCrossEntropy));
        SaveLossCurve(settings, console, history, "negative ELBO per image (nats)");

        Matrix<float> generated = vae.Generate(count, settings.Seed);
        int columns = (int)Math.Ceiling(Math.Sqrt(count));
        var gridRows = new List<Matrix<float>>();
        for (int start = 0; start < count; start += columns)
        {
            int n = Math.Min(columns, count - start);
            Matrix<float> row = generated.SubMatrix(start, n, 0, data.Features);
            gridRows.Add(n == columns ? row : row.Stack(Matrix<float>.Build.Dense(columns - n, data.Features)));
        }

        string grid = OutputPath(settings, "generated.png");
        ImageGrid.Save(grid, gridRows, data.Height, data.Width, columns, scale: 2);
        console.Line($"wrote {grid} ({count} images decoded from draws z ~ N(0, I))");

        double elbo = vae.Elbo(data.Test, Loss.BinaryCrossEntropy, ElboSamples, settings.Seed);
        double trainElbo = vae.Elbo(data.Train.SubMatrix(0, Math.Min(data.Train.RowCount, data.Test.RowCount), 0, data.Features), Loss.BinaryCrossEntropy, ElboSamples, settings.Seed);
        console.Summary("generate: variational autoencoder", [
            .. TrainingFigures(history),
            ("latent units", vae.LatentSize.ToString("N0")),
            ("held-out ELBO (nats per image)", elbo.ToString("F2")),
            ("training-rows ELBO (nats per image)", trainElbo.ToString("F2")),
            ("reconstruction PSNR dB (held out, decoded μ)", ImageQuality.MeanPsnr(vae.Reconstruct(data.Test), data.Test).ToString("F2")),
            ("generated images", count.ToString("N0")),
        ]);
    }
}
