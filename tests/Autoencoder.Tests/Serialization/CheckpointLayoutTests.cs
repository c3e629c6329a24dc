using System.Buffers.Binary;
using Autoencoder.Model;
using Autoencoder.Serialization;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// The checkpoint file stores the named state the run's parts expose and nothing it does not
/// declare: the best weights of a network with state hold its parameters and then its state, an
/// entry outside the format is refused when saved, and the file's code knows none of the parts.
/// </summary>
public sealed class CheckpointLayoutTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-ckpt-layout-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Checkpoint_OfABatchNormalizedRunRestoringBestWeights_HoldsTheParametersThenTheState()
    {
        AutoencoderModel model = new AutoencoderBuilder(6)
            .AddEncoderLayer(4, Activation.Relu, new LayerOptions { BatchNormalization = true })
            .WithLatent(2).WithSeed(3).Build();
        int parameters = model.Network.Parameters.Length, state = model.Network.State.Length;
        Assert.True(state > 0);
        string path = Path.Combine(_folder, "bn.ckpt");

        TrainingHistory history = model.Fit(TestData.Matrix(24, 6, seed: 5), new TrainingOptions
        {
            Epochs = 3, BatchSize = 8, Seed = 1, EarlyStopping = new EarlyStopping { Patience = 5, RestoreBestWeights = true }, CheckpointPath = path,
        });

        // The last checkpoint comes after epoch 3, before the run ends on its best epoch's weights
        // and running statistics: those are the checkpoint's best weights.
        Assert.NotNull(history.BestEpoch);
        var file = ModelFileBytes.Parse(File.ReadAllBytes(path));
        var tensor = file.Header["training.best_weights"]!;
        Assert.Equal([parameters + state], tensor["shape"]!.AsArray().Select(d => d!.GetValue<int>()));
        int begin = (int)tensor["data_offsets"]![0]!.GetValue<long>();
        float[] best = Enumerable.Range(0, parameters + state).Select(i => BinaryPrimitives.ReadSingleLittleEndian(file.Data.AsSpan(begin + (4 * i)))).ToArray();
        Assert.Equal([.. model.Network.Parameters, .. model.Network.State], best);
    }

    [Fact]
    public void Save_AnEntryTheFormatDoesNotDeclare_IsRefused()
    {
        var state = new NamedState();
        state.SetInt("mystery", 1);
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build();
        var error = Assert.Throws<ArgumentException>(() => CheckpointFile.Save(Path.Combine(_folder, "odd.ckpt"), model, state));
        Assert.Contains("'mystery'", error.Message);
    }

    [Fact]
    public void Save_ATensorOfAnotherShape_IsRefused()
    {
        var state = new NamedState();
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build();
        state.SetTensor("optimizer.m", new float[model.Network.Parameters.Length + 1]);
        var error = Assert.Throws<ArgumentException>(() => CheckpointFile.Save(Path.Combine(_folder, "odd.ckpt"), model, state));
        Assert.Contains("must have shape", error.Message);
    }

    [Fact]
    public void SerializationSources_ImportNothingFromTrainingOrOptimizers()
    {
        string folder = Path.Combine(RepositoryRoot(), "src", "Autoencoder", "Serialization");
        var offenders = Directory.EnumerateFiles(folder, "*.cs")
            .SelectMany(f => File.ReadLines(f).Select(line => (File: Path.GetFileName(f), Line: line.Trim())))
            .Where(l => l.Line.StartsWith("using Autoencoder.Training", StringComparison.Ordinal) || l.Line.StartsWith("using Autoencoder.Optimizers", StringComparison.Ordinal))
            .Select(l => $"{l.File}: {l.Line}")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Autoencoder.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new DirectoryNotFoundException($"No Autoencoder.sln above {AppContext.BaseDirectory}.");
    }
}
