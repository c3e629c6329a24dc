using System.Globalization;
using System.Text;

namespace Autoencoder.Samples.Tests;

/// <summary>CSV input: numeric rows in any range, with an optional label column.</summary>
public sealed class CsvTests
{
    /// <summary>
    /// Writes <paramref name="rows"/> rows of 16 values in [0, 255] (4×4 "images": class 0 bright on
    /// the left half, class 1 on the right) and, when <paramref name="labelled"/>, the class as the last column.
    /// </summary>
    public static string WriteCsv(int rows, bool labelled)
    {
        var random = new Random(5);   // fixed, so every run reads the same file
        var text = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            int label = r % 2;
            IEnumerable<double> values = Enumerable.Range(0, 16).Select(i =>
                ((i % 4 < 2) == (label == 0) ? 200 : 20) + (random.NextDouble() * 40));
            if (labelled)
            {
                values = values.Append(label);
            }

            text.AppendLine(string.Join(',', values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture))));
        }

        string path = Path.Combine(Directory.CreateTempSubdirectory("samples-csv-").FullName, "rows.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void Compress_CsvInAnyRange_IsScaledAndDrawnAsSquareImages()
    {
        string csv = WriteCsv(rows: 200, labelled: false);

        SampleRun run = SampleRun.Start("compress", "--quick", "--latent", "4", "--csv", csv);

        run.AssertSucceeded();
        Assert.Contains("min-max scaled", run.Output, StringComparison.Ordinal);
        Assert.Equal(16 * 4, run.Figure("bytes per image, raw float32"));
        Assert.Equal(4.0, run.Figure("ratio float32 code vs float32 pixels"));
        // 4×4 images at scale 2 with 2-pixel gaps, 12 per row, two rows.
        Assert.Equal((2 + (12 * 10), 2 + (2 * 10)), PngFile.AssertValid(Path.Combine(run.OutputFolder, "reconstructions.png")));
    }

    [Fact]
    public void Anomaly_CsvWithLabelColumn_Runs()
    {
        string csv = WriteCsv(rows: 400, labelled: true);

        SampleRun run = SampleRun.Start("anomaly", "--quick", "--csv", csv, "--label-column", "16", "--normal-classes", "0", "--epochs", "30");

        run.AssertSucceeded();
        Assert.InRange(run.Figure("ROC-AUC"), 0.9, 1.0);   // the two classes differ in half their values
        PngFile.AssertValid(Path.Combine(run.OutputFolder, "scores.png"));
    }

    [Fact]
    public void Embed_UnlabeledCsv_DrawsOneColour()
    {
        string csv = WriteCsv(rows: 100, labelled: false);

        SampleRun run = SampleRun.Start("embed", "--quick", "--csv", csv);

        run.AssertSucceeded();
        Assert.DoesNotContain("5-NN accuracy", run.Output, StringComparison.Ordinal);
        PngFile.AssertValid(Path.Combine(run.OutputFolder, "embedding.png"));
    }
}
