using System.Diagnostics;
using System.Globalization;
using Autoencoder.Benchmarks.Peers;
using Autoencoder.Data;

namespace Autoencoder.Benchmarks.Data;

/// <summary>
/// One stage per process, so each reports its own peak resident memory (VmHWM):
/// <c>write PATH ROWS</c> writes the file; <c>memory MODEL</c> trains on Fashion-MNIST's 60,000
/// training images held in an array (two epochs, the second timed); <c>file MODEL PATH</c> trains
/// one epoch streamed from the file; <c>score MODEL PATH</c> computes the reconstruction errors of
/// every row of the file, streamed; <c>score-memory MODEL</c> the same on the images in an array.
/// Each prints one line of key=value pairs.
/// </summary>
public static class Program
{
    private const int BatchSize = 256;

    public static int Main(string[] args)
    {
        switch (args)
        {
            case ["write", string path, string rows]:
                var (images, imageRows, name) = LargeFile.Images();
                var clock = Stopwatch.StartNew();
                LargeFile.Write(path, long.Parse(rows, CultureInfo.InvariantCulture), images, imageRows, seed: 5);
                Report("write", ("rows", rows), ("bytes", new FileInfo(path).Length), ("from", name.Replace(' ', '_')), ("seconds", clock.Elapsed.TotalSeconds));
                return 0;
            case ["memory", string model]:
                var (values, count, _) = LargeFile.Images();
                DataSource memory = DataSource.FromArray(values, 784);
                Train(model, memory, epochs: 2, "memory", count);
                return 0;
            case ["file", string model, string path]:
                DataSource file = DataSource.FromIdx(path);
                Train(model, file, epochs: 1, "file", file.CountRows());
                return 0;
            case ["score", string model, string path]:
                Score(model, DataSource.FromIdx(path), "score-file");
                return 0;
            case ["score-memory", string model]:
                var (all, _, _) = LargeFile.Images();
                Score(model, DataSource.FromArray(all, 784), "score-memory");
                return 0;
            default:
                Console.Error.WriteLine("usage: write PATH ROWS | memory MODEL | file MODEL PATH | score MODEL PATH | score-memory MODEL");
                return 2;
        }
    }

    private static void Train(string modelName, DataSource source, int epochs, string stage, long rows)
    {
        ModelSpec spec = ModelSpec.Find(modelName);
        AutoencoderModel model = spec.BuildOurs(seed: 1);
        TrainingHistory history = model.Fit(source, new TrainingOptions { Epochs = epochs, BatchSize = BatchSize, Loss = spec.Loss, Seed = 3 });
        EpochResult last = history.Epochs[^1];
        Report(stage, ("model", spec.Name), ("rows", rows), ("epoch_seconds", last.Duration.TotalSeconds), ("samples_per_s", rows / last.Duration.TotalSeconds), ("loss", last.TrainLoss));
    }

    private static void Score(string modelName, DataSource source, string stage)
    {
        ModelSpec spec = ModelSpec.Find(modelName);
        AutoencoderModel model = spec.BuildOurs(seed: 1);
        model.ReconstructionErrors(DataSource.FromArray(new float[784 * 512], 784), spec.Loss).Count(); // warm-up
        var clock = Stopwatch.StartNew();
        long rows = 0;
        double sum = 0;
        foreach (float error in model.ReconstructionErrors(source, spec.Loss))
        {
            sum += error;
            rows++;
        }

        Report(stage, ("model", spec.Name), ("rows", rows), ("seconds", clock.Elapsed.TotalSeconds), ("rows_per_s", rows / clock.Elapsed.TotalSeconds), ("mean_error", sum / rows));
    }

    private static void Report(string stage, params (string Key, object Value)[] values)
    {
        string peak = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] ?? "?";
        Console.WriteLine(string.Join(' ', new[] { $"stage={stage}" }
            .Concat(values.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Key}={v.Value}")))
            .Append($"peak_rss_mib={(long.TryParse(peak, out long kib) ? kib / 1024 : -1)}")
            .Append($"threads={Environment.ProcessorCount}")));
    }
}
