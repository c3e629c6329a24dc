using System.Buffers.Binary;
using Autoencoder.Data;

namespace Autoencoder.PublicApi.Tests;

/// <summary>The README's "Data larger than memory" example, compiled and run on a small float32 IDX file.</summary>
public class LargerThanMemoryReadmeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-readme-large-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void LargerThanMemory()
    {
        string path = Path.Combine(_folder, "rows.idx");
        string checkpoint = Path.Combine(_folder, "run.ckpt");
        WriteImages(path, SyntheticShapes.Generate(count: 700, seed: 4).Images);

        // readme:larger-than-memory:begin
        DataSource rows = DataSource.FromIdx(path);              // float32 rows of 784 values, as large as the disk holds
        var (train, validation) = rows.Split(0.1);               // views: nothing is copied

        AutoencoderModel model = new AutoencoderBuilder(rows.Columns)
            .AddEncoderLayer(128, Activation.Relu)
            .WithLatent(32, Activation.Relu)
            .WithOutputActivation(Activation.Sigmoid)
            .Build();
        var options = new TrainingOptions
        {
            Epochs = 2,
            Loss = Loss.BinaryCrossEntropy,
            ValidationData = validation,
            CheckpointPath = checkpoint,                         // after a crash: TrainingCheckpoint.Load(checkpoint).Resume(train, options)
            CheckpointEveryBatches = 100,
        };
        model.Fit(train, options);

        // Scored streamed, one value per row, a block at a time: the file is never held in memory.
        int unusual = model.ReconstructionErrors(DataSource.FromIdx(path), Loss.BinaryCrossEntropy).Count(e => e > 0.4f);
        // readme:larger-than-memory:end
        Assert.InRange(unusual, 0, 700);
        Assert.Equal(630, train.RowCount);
        Assert.True(File.Exists(checkpoint));
        Assert.Equal(2, TrainingCheckpoint.Load(checkpoint).Epoch - 1);
    }

    [Fact]
    public void TheReadmeHoldsThisExample() =>
        Assert.Equal(ReadmeBlocks.Marked("LargerThanMemoryReadmeTests.cs", "readme:larger-than-memory"), ReadmeBlocks.Documented("readme:larger-than-memory"));

    private static void WriteImages(string path, MathNet.Numerics.LinearAlgebra.Matrix<float> images)
    {
        using FileStream file = File.Create(path);
        Span<byte> word = stackalloc byte[4];
        file.Write([0, 0, 0x0D, 2]);
        BinaryPrimitives.WriteInt32BigEndian(word, images.RowCount);
        file.Write(word);
        BinaryPrimitives.WriteInt32BigEndian(word, images.ColumnCount);
        file.Write(word);
        for (int r = 0; r < images.RowCount; r++)
        {
            for (int c = 0; c < images.ColumnCount; c++)
            {
                BinaryPrimitives.WriteSingleBigEndian(word, images[r, c]);
                file.Write(word);
            }
        }
    }
}
