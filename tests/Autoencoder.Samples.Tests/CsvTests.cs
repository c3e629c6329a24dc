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
    public static string WriteCsv(int rows, bool labelled) => WriteCsv(rows, labelled, ',', header: false, shapeLine: false, textLabels: false);

    /// <summary>
    /// The rows of <see cref="WriteCsv(int, bool)"/> with the given delimiter; a header
    /// <c>p0…p15,class</c> when asked, after a scikit-learn-style shape line when asked, and the
    /// classes as <c>left</c> and <c>right</c> when asked.
    /// </summary>
    public static string WriteCsv(int rows, bool labelled, char delimiter, bool header, bool shapeLine, bool textLabels)
    {
        var random = new Random(5);   // fixed, so every run reads the same file
        var text = new StringBuilder();
        if (shapeLine)
        {
            text.Append(rows).Append(delimiter).Append(16).Append(delimiter).AppendLine("left" + delimiter + "right");
        }

        if (header)
        {
            IEnumerable<string> names = Enumerable.Range(0, 16).Select(i => "p" + i.ToString(CultureInfo.InvariantCulture));
            text.AppendLine(string.Join(delimiter, labelled ? names.Append("class") : names));
        }

        for (int r = 0; r < rows; r++)
        {
            int label = r % 2;
            IEnumerable<string> values = Enumerable.Range(0, 16).Select(i =>
                (((i % 4 < 2) == (label == 0) ? 200 : 20) + (random.NextDouble() * 40)).ToString("F1", CultureInfo.InvariantCulture));
            if (labelled)
            {
                values = values.Append(textLabels ? (label == 0 ? "left" : "right") : label.ToString(CultureInfo.InvariantCulture));
            }

            text.AppendLine(string.Join(delimiter, values));
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

    [Fact]
    public void Anomaly_SemicolonCsvWithShapeLineHeaderAndLabelByName_Runs()
    {
        string csv = WriteCsv(rows: 400, labelled: true, ';', header: true, shapeLine: true, textLabels: false);

        SampleRun run = SampleRun.Start(
            "anomaly", "--quick", "--csv", csv, "--csv-delimiter", ";", "--csv-skip-lines", "1", "--csv-header",
            "--label-column", "class", "--normal-classes", "0", "--epochs", "30");

        run.AssertSucceeded();
        Assert.Contains("400 rows of 16 values (p0, p1, p2, p3, …), 2 label classes", run.Output, StringComparison.Ordinal);
        Assert.InRange(run.Figure("ROC-AUC"), 0.9, 1.0);
    }

    [Fact]
    public void Embed_TextLabelsAndSelectedColumns_AreColouredByClassAndNeverTrainedOn()
    {
        string csv = WriteCsv(rows: 200, labelled: true, '\t', header: true, shapeLine: false, textLabels: true);

        SampleRun run = SampleRun.Start(
            "embed", "--quick", "--csv", csv, "--csv-delimiter", "auto", "--csv-header", "--label-column", "class",
            "--columns", "p0, p1,p2,p3,p4,p5,p6,p7");

        run.AssertSucceeded();
        Assert.Contains("200 rows of 8 values (p0, p1, p2, p3, …)", run.Output, StringComparison.Ordinal);
        Assert.InRange(run.Figure("5-NN accuracy"), 0.0, 1.0);
    }

    [Fact]
    public void Compress_ColumnsByPosition_UsesOnlyThem()
    {
        string csv = WriteCsv(rows: 100, labelled: true);

        SampleRun run = SampleRun.Start("compress", "--quick", "--latent", "2", "--csv", csv, "--columns", "15,0,1,2", "--label-column", "16");

        run.AssertSucceeded();
        Assert.Contains("100 rows of 4 values", run.Output, StringComparison.Ordinal);
        Assert.Equal(4 * 4, run.Figure("bytes per image, raw float32"));
    }

    [Fact]
    public void Anomaly_ScikitLearnBreastCancer_AsItShips()
    {
        string csv = TestData.SklearnFile("breast_cancer.csv");

        SampleRun run = SampleRun.Start("anomaly", "--quick", "--csv", csv, "--csv-skip-lines", "1", "--label-column", "30", "--normal-classes", "1");

        run.AssertSucceeded();
        Assert.Contains("569 rows of 30 values, 2 label classes", run.Output, StringComparison.Ordinal);
        Assert.InRange(run.Figure("ROC-AUC"), 0.0, 1.0);
    }
}
