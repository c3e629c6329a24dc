using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

/// <summary>
/// scikit-learn's bundled tables, read as they ship: a first line giving the shape and the class
/// names (hence <c>SkipLines = 1</c>), then rows of features with the class as the last column.
/// Expected counts and values were taken from the files with Python's <c>csv</c> module.
/// </summary>
public class SklearnCsvTests
{
    private static Dictionary<string, int> Histogram(IReadOnlyList<string> labels) =>
        labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void BreastCancer_569RowsOf30FeaturesAndABinaryLabel()
    {
        CsvTable table = CsvReader.ReadTable(SklearnData.File("breast_cancer.csv"), new CsvOptions { SkipLines = 1, LabelColumnIndex = 30 });

        Matrix<float> x = table.Features;
        Assert.Equal((569, 30), (x.RowCount, x.ColumnCount));
        Assert.Equal((17.99f, 0.1189f), (x[0, 0], x[0, 29]));
        Assert.Equal((7.76f, 0.07039f), (x[568, 0], x[568, 29]));
        Assert.Equal(8038.429, x.Column(0).Sum(), 2);
        Assert.NotNull(table.Labels);
        Assert.Equal(("0", "1"), (table.Labels[0], table.Labels[568]));
        Assert.Equal(new Dictionary<string, int> { ["0"] = 212, ["1"] = 357 }, Histogram(table.Labels));
        Assert.Null(table.ColumnNames);
        Assert.Equal(0, table.SkippedRows);
    }

    [Fact]
    public void BreastCancer_ShapeLineTakenAsHeader_IsAWidthErrorNamingTheLineAndCounts()
    {
        string path = SklearnData.File("breast_cancer.csv");

        // Read as a header, the four-field shape line fixes the width.
        var ex = Assert.Throws<InvalidDataException>(() => CsvReader.ReadMatrix(path, hasHeader: true));

        Assert.Contains(path, ex.Message);
        Assert.Contains("Line 2: expected 4 values (as on line 1) but found 31", ex.Message);
    }

    [Fact]
    public void Wine_178RowsOf13FeaturesAndThreeClasses()
    {
        CsvTable table = CsvReader.ReadTable(SklearnData.File("wine_data.csv"), new CsvOptions { SkipLines = 1, LabelColumnIndex = 13 });

        Matrix<float> x = table.Features;
        Assert.Equal((178, 13), (x.RowCount, x.ColumnCount));
        Assert.Equal((14.23f, 1065f), (x[0, 0], x[0, 12]));
        Assert.Equal((14.13f, 560f), (x[177, 0], x[177, 12]));
        Assert.Equal(2314.11, x.Column(0).Sum(), 2);
        Assert.Equal(("0", "2"), (table.Labels![0], table.Labels[177]));
        Assert.Equal(new Dictionary<string, int> { ["0"] = 59, ["1"] = 71, ["2"] = 48 }, Histogram(table.Labels));
    }

    [Fact]
    public void Iris_150RowsOf4FeaturesAnd50PerClass()
    {
        CsvTable table = CsvReader.ReadTable(SklearnData.File("iris.csv"), new CsvOptions { SkipLines = 1, LabelColumnIndex = 4 });

        Matrix<float> x = table.Features;
        Assert.Equal((150, 4), (x.RowCount, x.ColumnCount));
        Assert.Equal(new[] { 5.1f, 3.5f, 1.4f, 0.2f }, x.Row(0).ToArray());
        Assert.Equal(new[] { 5.9f, 3.0f, 5.1f, 1.8f }, x.Row(149).ToArray());
        Assert.Equal(876.5, x.Column(0).Sum(), 3);
        Assert.Equal(new Dictionary<string, int> { ["0"] = 50, ["1"] = 50, ["2"] = 50 }, Histogram(table.Labels!));
    }

    [Fact]
    public void Iris_ShapeLineReadAsData_FailsOnTheFirstClassName()
    {
        // The shape line has five fields, as the rows do, so only its values give it away.
        var ex = Assert.Throws<InvalidDataException>(() => CsvReader.ReadMatrix(SklearnData.File("iris.csv"), new CsvOptions()));
        Assert.Contains("Line 1, column 3: expected a number but found 'setosa'", ex.Message);
    }

    [Fact]
    public void Boston_QuotedHeaderAfterTheShapeLine_SelectsColumnsAndTheLabelByName()
    {
        string path = SklearnData.File("boston_house_prices.csv");

        CsvTable all = CsvReader.ReadTable(path, new CsvOptions { SkipLines = 1, HasHeader = true, LabelColumn = "MEDV" });
        Assert.Equal((506, 13), (all.Features.RowCount, all.Features.ColumnCount));
        Assert.Equal(["CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT"], all.ColumnNames);
        Assert.Equal((0.00632f, 0.04741f), (all.Features[0, 0], all.Features[505, 0]));
        Assert.Equal(("24", "11.9"), (all.Labels![0], all.Labels[505]));

        CsvTable two = CsvReader.ReadTable(path, new CsvOptions { SkipLines = 1, HasHeader = true, Columns = ["LSTAT", "RM"] });
        Assert.Equal(["LSTAT", "RM"], two.ColumnNames);
        Assert.Equal(new[] { 4.98f, 6.575f }, two.Features.Row(0).ToArray());
        Assert.Null(two.Labels);
    }

    [Fact]
    public void Linnerud_SpaceDelimitedWithAHeader()
    {
        CsvTable table = CsvReader.ReadTable(SklearnData.File("linnerud_exercise.csv"), new CsvOptions { Delimiter = ' ', HasHeader = true });

        Assert.Equal(["Chins", "Situps", "Jumps"], table.ColumnNames);
        Assert.Equal((20, 3), (table.Features.RowCount, table.Features.ColumnCount));
        Assert.Equal(new[] { 5f, 162f, 60f }, table.Features.Row(0).ToArray());
        Assert.Equal(new[] { 2f, 110f, 43f }, table.Features.Row(19).ToArray());
    }
}
