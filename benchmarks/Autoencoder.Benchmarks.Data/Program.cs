using System.Diagnostics;
using System.Globalization;
using Autoencoder.Benchmarks.Peers;
using Autoencoder.Data;

namespace Autoencoder.Benchmarks.Data;

/// <summary>
/// One stage per process, so each reports its own peak resident memory (VmHWM):
/// <c>write PATH ROWS</c> writes the file; <c>memory MODEL</c> trains on Fashion-MNIST's 60,000
/// training images held in an array (eight epochs, the last seven timed); <c>file MODEL PATH</c> trains
/// one epoch streamed from the file; <c>score MODEL PATH</c> computes the reconstruction errors of
/// every row of the file, streamed; <c>score-memory MODEL</c> the same on the images in an array (eight passes).
/// <c>interleaved MODEL PATH</c> alternates the two within one process (see <see cref="Interleaved"/>).
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
                Train(model, memory, epochs: 8, "memory", count);
                return 0;
            case ["file", string model, string path]:
                DataSource file = DataSource.FromIdx(path);
                Train(model, file, epochs: 1, "file", file.CountRows());
                return 0;
            case ["interleaved", string model, string path]:
                Interleaved(model, path);
                return 0;
            case ["score", string model, string path]:
                Score(model, DataSource.FromIdx(path), "score-file");
                return 0;
            case ["score-memory", string model]:
                var (all, _, _) = LargeFile.Images();
                Score(model, DataSource.FromArray(all, 784), "score-memory", passes: 8);
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
        // Every epoch but the first (when there are several), whose time includes compiling the code.
        EpochResult[] timed = history.Epochs.Count > 1 ? [.. history.Epochs.Skip(1)] : [.. history.Epochs];
        double seconds = timed.Sum(e => e.Duration.TotalSeconds);
        Report(stage, ("model", spec.Name), ("rows", rows), ("timed_epochs", timed.Length), ("seconds", seconds), ("samples_per_s", rows * timed.Length / seconds), ("loss", history.Epochs[^1].TrainLoss));
    }

    /// <summary>
    /// The comparison without the machine's drift between minutes: eight rounds, each one epoch on
    /// the 60,000 images in memory and then one epoch streamed from the next eighth of the file
    /// (shuffled by blocks within it), so both are timed over the same minutes and the file is read whole.
    /// </summary>
    private static void Interleaved(string modelName, string path)
    {
        const int rounds = 8;
        ModelSpec spec = ModelSpec.Find(modelName);
        var (values, count, _) = LargeFile.Images();
        DataSource memory = DataSource.FromArray(values, 784);
        DataSource file = DataSource.FromIdx(path);
        long part = file.CountRows() / rounds;
        AutoencoderModel inMemory = spec.BuildOurs(seed: 1), streamed = spec.BuildOurs(seed: 1);
        var options = new TrainingOptions { Epochs = 1, BatchSize = BatchSize, Loss = spec.Loss, Seed = 3 };
        inMemory.Fit(memory, options); // compiles the code for both
        double memorySeconds = 0, fileSeconds = 0;
        long memoryRows = 0, fileRows = 0;
        for (int round = 0; round < rounds; round++)
        {
            memorySeconds += inMemory.Fit(memory, options).Epochs[0].Duration.TotalSeconds;
            memoryRows += count;
            fileSeconds += streamed.Fit(file.Slice(round * part, part), options).Epochs[0].Duration.TotalSeconds;
            fileRows += part;
        }

        double memoryRate = memoryRows / memorySeconds, fileRate = fileRows / fileSeconds;
        Report("interleaved", ("model", spec.Name), ("rounds", rounds), ("memory_samples_per_s", memoryRate), ("file_rows", fileRows), ("file_samples_per_s", fileRate), ("file_over_memory", fileRate / memoryRate));
    }

    private static void Score(string modelName, DataSource source, string stage, int passes = 1)
    {
        ModelSpec spec = ModelSpec.Find(modelName);
        AutoencoderModel model = spec.BuildOurs(seed: 1);
        model.ReconstructionErrors(DataSource.FromArray(new float[784 * 20_000], 784), spec.Loss).Count(); // warm-up
        var clock = Stopwatch.StartNew();
        long rows = 0;
        double sum = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            foreach (float error in model.ReconstructionErrors(source, spec.Loss))
            {
                sum += error;
                rows++;
            }
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
