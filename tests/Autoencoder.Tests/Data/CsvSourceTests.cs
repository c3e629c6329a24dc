using System.Globalization;
using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

/// <summary>A CSV file as a data source: streamed, its label column left out, and read exactly as <see cref="CsvReader"/> reads it.</summary>
public class CsvSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-csv-source-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void BreastCancer_ScoresAsTheMatrixCsvReaderReads()
    {
        string path = SklearnData.File("breast_cancer.csv");
        var options = new CsvOptions { SkipLines = 1, LabelColumnIndex = 30 };
        Matrix<float> x = CsvReader.ReadMatrix(path, options);
        DataSource source = DataSource.FromCsv(path, options);
        Assert.Equal(30, source.Columns);
        Assert.Equal(569, source.CountRows());

        AutoencoderModel model = new AutoencoderBuilder(30).WithLatent(4).WithSeed(2).Build();
        Assert.Equal(model.Evaluate(x, Loss.MeanSquaredError), model.Evaluate(source, Loss.MeanSquaredError));
        Assert.Equal(model.ReconstructionErrors(x, Loss.MeanSquaredError).ToArray(), model.ReconstructionErrors(source, Loss.MeanSquaredError).ToArray());
    }

    [Fact]
    public void Fit_OnACsvFile_InStoredOrder_EqualsTheMatrix_AndNeverTrainsOnTheLabel()
    {
        Matrix<float> x = TestData.Matrix(150, 5, seed: 4);
        string path = Path.Combine(_folder, "table.csv");
        using (var writer = new StreamWriter(path))
        {
            writer.WriteLine("a;b;class;c;d;e");
            for (int r = 0; r < x.RowCount; r++)
            {
                string F(int c) => x[r, c].ToString("R", CultureInfo.InvariantCulture);
                writer.WriteLine($"{F(0)};{F(1)};{(r % 3 == 0 ? "bad" : "good")};{F(2)};{F(3)};{F(4)}");
            }
        }

        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Shuffle = false, ValidationFraction = 0.2, Loss = Loss.BinaryCrossEntropy };
        AutoencoderModel reference = new AutoencoderBuilder(5).WithLatent(2).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build();
        AutoencoderModel model = new AutoencoderBuilder(5).WithLatent(2).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build();
        TrainingHistory expected = reference.Fit(x, options);
        TrainingHistory history = model.Fit(DataSource.FromCsv(path, new CsvOptions { Delimiter = ';', HasHeader = true, LabelColumn = "class" }), options);
        Assert.Equal(reference.Network.Parameters, model.Network.Parameters);
        Assert.Equal(expected.Epochs.Select(e => e.ValidationLoss), history.Epochs.Select(e => e.ValidationLoss));

        // Shuffled through the stream's buffer: the same seed gives the same weights.
        AutoencoderModel first = new AutoencoderBuilder(5).WithLatent(2).WithSeed(3).Build(), second = new AutoencoderBuilder(5).WithLatent(2).WithSeed(3).Build();
        DataSource csv = DataSource.FromCsv(path, new CsvOptions { Delimiter = ';', HasHeader = true, LabelColumn = "class" }).WithShuffleBuffer(40);
        first.Fit(csv, options with { Shuffle = true, Loss = Loss.MeanSquaredError });
        second.Fit(csv, options with { Shuffle = true, Loss = Loss.MeanSquaredError });
        Assert.Equal(first.Network.Parameters, second.Network.Parameters);
    }

    [Fact]
    public void FromCsv_BadValueLater_IsAnErrorWhenItsBatchIsRead()
    {
        string path = Path.Combine(_folder, "bad.csv");
        File.WriteAllLines(path, ["0.1,0.2", "0.3,0.4", "0.5,x"]);
        DataSource source = DataSource.FromCsv(path);
        AutoencoderModel model = new AutoencoderBuilder(2).WithLatent(1).WithSeed(1).Build();
        var e = Assert.Throws<InvalidDataException>(() => model.Fit(source, new TrainingOptions { Epochs = 1 }));
        Assert.Contains("Line 3, column 2", e.Message);
        Assert.Throws<FileNotFoundException>(() => DataSource.FromCsv(Path.Combine(_folder, "missing.csv")));
    }
}
