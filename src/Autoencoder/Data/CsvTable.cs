using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>A CSV table as <see cref="CsvReader.ReadTable(string, CsvOptions)"/> reads it: the features, their names, the labels and how many rows were left out.</summary>
public sealed class CsvTable
{
    internal CsvTable(Matrix<float> features, IReadOnlyList<string>? columnNames, IReadOnlyList<string>? labels, long skippedRows)
    {
        Features = features;
        ColumnNames = columnNames;
        Labels = labels;
        SkippedRows = skippedRows;
    }

    /// <summary>One row per data row read, one column per selected feature, in the selection's order.</summary>
    public Matrix<float> Features { get; }

    /// <summary>The header name of each column of <see cref="Features"/>; null when the table has no header.</summary>
    public IReadOnlyList<string>? ColumnNames { get; }

    /// <summary>The label text of each row of <see cref="Features"/>, in row order; null without a label column.</summary>
    public IReadOnlyList<string>? Labels { get; }

    /// <summary>Data rows left out because a value could not be read (<see cref="CsvInvalidRows.Skip"/>); 0 otherwise.</summary>
    public long SkippedRows { get; }
}
