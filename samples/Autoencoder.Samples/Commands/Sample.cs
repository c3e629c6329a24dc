using System.CommandLine;
using Autoencoder.Samples.Data;
using Autoencoder.Samples.Output;
using Autoencoder.Samples.Rendering;

namespace Autoencoder.Samples.Commands;

/// <summary>One subcommand of the app: its name, defaults, own options and what it does.</summary>
internal abstract class Sample
{
    /// <summary>Epochs in <c>--quick</c> mode unless <c>--epochs</c> is given.</summary>
    public const int QuickEpochs = 3;

    /// <summary>The subcommand.</summary>
    public abstract string Name { get; }

    /// <summary>One sentence for <c>--help</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Epochs of a full run on the default data.</summary>
    public abstract int DefaultEpochs { get; }

    /// <summary>Latent size unless <c>--latent</c> is given.</summary>
    public abstract int DefaultLatent { get; }

    /// <summary>The defaults for <c>--help</c>, after "Defaults: ".</summary>
    public virtual string Defaults => $"{DefaultEpochs} epochs ({QuickEpochs} with --quick), latent size {DefaultLatent}";

    /// <summary>Adds the options only this sample has.</summary>
    public virtual void AddOptions(Command command)
    {
    }

    /// <summary>Runs the sample: loads the data, trains, writes the pictures and shows the figures.</summary>
    public abstract void Run(ParseResult parse, SampleSettings settings, SampleConsole console);

    /// <summary>Loads the data and says what it is.</summary>
    protected static Dataset LoadData(SampleSettings settings, SampleConsole console)
    {
        Dataset data = DatasetLoader.Load(settings);
        console.Line($"data: {data.Source}");
        console.Line($"      {data.Train.RowCount:N0} training and {data.Test.RowCount:N0} test rows of {data.Features} values");
        return data;
    }

    /// <summary>The options of every training run of the samples: Adam, a tenth of the rows for validation.</summary>
    protected static TrainingOptions Training(SampleSettings settings, Loss loss) => new()
    {
        Epochs = settings.Epochs,
        BatchSize = settings.BatchSize,
        Loss = loss,
        Optimizer = new AdamOptions { LearningRate = 1e-3 },
        ValidationFraction = 0.1,
        Seed = settings.Seed,
    };

    /// <summary>Describes the model in one line.</summary>
    protected static void DescribeModel(AutoencoderModel model, SampleConsole console) =>
        console.Line($"model: {string.Join("-", model.Layers.Select(l => l.Inputs).Append(model.InputSize))}, {model.ParameterCount:N0} parameters");

    /// <summary>Describes a convolutional model in one line: its layers, code and parameters.</summary>
    protected static void DescribeModel(AutoencoderModel model, ConvArchitecture architecture, SampleConsole console) =>
        console.Line($"model: conv, {architecture.Layers}; code {architecture.CodeShape} = {model.LatentSize:N0} values, {model.ParameterCount:N0} parameters");

    /// <summary>Saves the loss curve of <paramref name="history"/> and says where.</summary>
    protected static string SaveLossCurve(SampleSettings settings, SampleConsole console, TrainingHistory history, string lossName)
    {
        string path = Path.Combine(settings.OutputFolder, "loss.png");
        Charts.LossCurve(path, history, lossName);
        console.Line($"wrote {path}");
        return path;
    }

    /// <summary>The path of a PNG in the output folder.</summary>
    protected static string OutputPath(SampleSettings settings, string file) => Path.Combine(settings.OutputFolder, file);

    /// <summary>The figures every sample reports about its training run.</summary>
    protected static IEnumerable<(string Name, string Value)> TrainingFigures(TrainingHistory history)
    {
        if (history.Epochs.Count == 0)
        {
            yield return ("epochs trained", "0 (stopped during the first epoch)");
            yield break;
        }

        EpochResult last = history.Epochs[^1];
        yield return ("epochs trained", history.Epochs.Count.ToString("N0"));
        yield return ("final training loss", last.TrainLoss.ToString("F4"));
        if (last.ValidationLoss is double validation)
        {
            yield return ("final validation loss", validation.ToString("F4"));
        }

        yield return ("training time (s)", history.Elapsed.TotalSeconds.ToString("F1"));
    }
}
