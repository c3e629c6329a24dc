using System.Diagnostics;
using System.Globalization;
using Autoencoder.Data;

namespace Autoencoder.Benchmarks.Training;

/// <summary>
/// The quality protocol on Fashion-MNIST: <c>--conv-quality [epochs] [seed]</c> trains M4 (the
/// convolutional model) and M2 (the dense one) on the 60,000 training images, alike (Adam 1e-3,
/// batch 128, binary cross-entropy, the same epochs), and prints a markdown table of each model's
/// loss on the 10,000 test images (the validation loss of each epoch), its parameters and its training time.
/// </summary>
internal static class ConvQuality
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    public static void Run(string[] args)
    {
        int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        if (!Directory.Exists(FashionMnist))
        {
            throw new DirectoryNotFoundException(string.Create(CultureInfo.InvariantCulture, $"Fashion-MNIST is not installed at {FashionMnist} (Debian's dataset-fashion-mnist)."));
        }

        var train = IdxReader.LoadFolder(FashionMnist, "train").Images;
        var test = IdxReader.LoadFolder(FashionMnist, "t10k").Images;
        var results = new List<(string Name, long Parameters, double Seconds, List<double> TestLoss)>();
        if (epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(args), epochs, "Expected at least one epoch.");
        }

        foreach (string name in new[] { "M4", "M2" })
        {
            AutoencoderModel model = ReferenceModels.Build(name, seed);
            var watch = Stopwatch.StartNew();
            TrainingHistory history = model.Fit(train, new TrainingOptions
            {
                Epochs = epochs, BatchSize = 128, Loss = Loss.BinaryCrossEntropy, Seed = seed, ValidationData = test,
            });
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {epochs} epochs in {watch.Elapsed.TotalSeconds:F0} s"));
            var losses = history.Epochs.Select(e => e.ValidationLoss ?? double.NaN).ToList();
            double training = history.Epochs.Sum(e => e.Duration.TotalSeconds);
            results.Add((name, model.ParameterCount, training, losses));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Fashion-MNIST, 60,000 training / 10,000 test images, batch 128, Adam 1e-3, BCE, seed {seed}, {Environment.ProcessorCount} threads"));
        Console.WriteLine();
        Console.WriteLine("| model | parameters | time (s, test loss each epoch included) | " + string.Join(" | ", Checkpoints(epochs).Select(e => string.Create(CultureInfo.InvariantCulture, $"test BCE after {e}")) ) + " |");
        Console.WriteLine("|---|---:|---:|" + string.Concat(Checkpoints(epochs).Select(_ => "---:|")));
        foreach (var (name, parameters, seconds, losses) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {parameters:N0} | {seconds:F0} | ") + string.Join(" | ", Checkpoints(epochs).Select(e => string.Create(CultureInfo.InvariantCulture, $"{losses[e - 1]:F4}"))) + " |");
        }
    }

    private static IEnumerable<int> Checkpoints(int epochs) => new[] { 1, 5, 10, 20, 50 }.Where(e => e < epochs).Append(epochs).Distinct();
}
