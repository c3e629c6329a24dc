using Autoencoder.Testing;
using Parquet;
using Parquet.Schema;

namespace Autoencoder.Parquet.Tests;

/// <summary>
/// The README's Parquet example, compiled and run: the region <c>// readme:parquet:begin … end</c>
/// below is, without its indentation, the C# block after <c>&lt;!-- readme:parquet --&gt;</c> in
/// README.md and the one in the package's PACKAGE.md.
/// </summary>
public class ReadmeExampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-parquet-readme-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ParquetExample_Runs()
    {
        string path = WriteReadings(Path.Combine(_folder, "readings.parquet"));
        // readme:parquet:begin
        ParquetDataSource readings = ParquetDataSource.Open(path, new ParquetSourceOptions
        {
            Columns = ["temperature", "pressure", "humidity"],   // default: every numeric column
            LabelColumn = "machine",                             // any type, never a feature
            Nulls = ParquetNulls.Zero,                           // default: a null is an error naming file, row group, row and column
        });
        AutoencoderModel model = new AutoencoderBuilder(inputSize: readings.Columns).WithLatent(2).WithSeed(1).Build();
        model.Fit(readings, new TrainingOptions { Epochs = 20, ValidationFraction = 0.1 });   // a row group at a time
        float[] scores = model.ReconstructionErrors(readings, Loss.MeanSquaredError).ToArray();
        // readme:parquet:end
        Assert.Equal(300, scores.Length);
        Assert.All(scores, s => Assert.True(float.IsFinite(s) && s >= 0, $"score {s}"));
    }

    [Fact]
    public void ReadmeAndPackagePage_ShowTheExampleThatRuns() => ReadmeBlocks.AssertDocumented("ReadmeExampleTests.cs", "readme:parquet");

    /// <summary>300 sensor readings in three row groups, with a machine name and a few missing humidities.</summary>
    private static string WriteReadings(string path)
    {
        var random = new Random(4); // seeded: the same file every run
        var temperature = new DataField<float>("temperature");
        var pressure = new DataField<double>("pressure");
        var humidity = new DataField<float?>("humidity");
        var machine = new DataField<string>("machine");
        async Task WriteAsync()
        {
            await using FileStream stream = File.Create(path);
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(machine, temperature, pressure, humidity), stream);
            for (int g = 0; g < 3; g++)
            {
                using ParquetRowGroupWriter group = writer.CreateRowGroup();
                await group.WriteAsync(machine, Enumerable.Range(0, 100).Select(r => $"m{r % 4}").ToArray());
                await group.WriteAsync<float>(temperature, Enumerable.Range(0, 100).Select(_ => (float)random.NextDouble()).ToArray());
                await group.WriteAsync<double>(pressure, Enumerable.Range(0, 100).Select(_ => random.NextDouble()).ToArray());
                await group.WriteAsync<float>(humidity, Enumerable.Range(0, 100).Select(r => r % 17 == 0 ? null : (float?)random.NextDouble()).ToArray().AsMemory());
            }
        }

        WriteAsync().GetAwaiter().GetResult();
        return path;
    }
}
