using Autoencoder.Data;

namespace Autoencoder.Tests.Data;

/// <summary>
/// A child process that trains a 784-32-784 model for one epoch on an IDX file, streamed
/// (<c>stream</c>) or loaded into memory first (<c>memory</c>), and prints its peak working set;
/// run under a managed-heap limit, it shows streaming needs no more memory than a batch.
/// </summary>
internal static class FileTrainingProgram
{
    public const string Command = "--train-file";

    public static int Run(string path, string mode)
    {
        DataSource source = DataSource.FromIdx(path);
        if (mode == "memory")
        {
            using var reader = source.OpenRows(0, long.MaxValue);
            var values = new float[source.CountRows() * source.Columns];
            reader.ReadFully(values, (int)source.CountRows());
            source = DataSource.FromArray(values, source.Columns);
        }

        AutoencoderModel model = new AutoencoderBuilder(source.Columns).WithLatent(32).WithOutputActivation(Activation.Sigmoid).WithSeed(1).Build();
        TrainingHistory history = model.Fit(source, new TrainingOptions { Epochs = 1, BatchSize = 256, Loss = Loss.BinaryCrossEntropy, ValidationFraction = 0.1 });
        Console.WriteLine(System.FormattableString.Invariant(
            $"loss {history.Epochs[0].TrainLoss} validation {history.Epochs[0].ValidationLoss} heap {GC.GetGCMemoryInfo().HeapSizeBytes} peak {Environment.WorkingSet}"));
        return 0;
    }
}
