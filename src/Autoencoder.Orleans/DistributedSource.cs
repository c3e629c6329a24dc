using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Orleans;

/// <summary>
/// Training data every replica of a distributed run can open on its own silo: rows sent to each
/// silo once with the run, or a file at a path every silo can read (a shared or copied volume).
/// Each replica reads every batch of the epoch's order, which is a function of the run's seed and
/// the epoch alone, and computes the gradient of its slice: rows <c>[k·rows/K, (k+1)·rows/K)</c> of
/// the batch for replica <c>k</c> of <c>K</c>.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed class DistributedSource
{
    private DistributedSource(string kind, float[]? values, int columns, string? path)
    {
        Kind = kind;
        Values = values;
        Columns = columns;
        Path = path;
    }

    /// <summary>"rows", "idx" or "csv".</summary>
    [Id(0)]
    internal string Kind { get; }

    /// <summary>The rows, row-major, for "rows".</summary>
    [Id(1)]
    internal float[]? Values { get; }

    /// <summary>The values per row, for "rows".</summary>
    [Id(2)]
    internal int Columns { get; }

    /// <summary>The file, for "idx" and "csv".</summary>
    [Id(3)]
    internal string? Path { get; }

    /// <summary>The rows of <paramref name="matrix"/> (one sample per row), copied and sent to every silo.</summary>
    /// <param name="matrix">The samples.</param>
    /// <returns>The source.</returns>
    public static DistributedSource FromMatrix(Matrix<float> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var values = new float[matrix.RowCount * matrix.ColumnCount];
        for (int r = 0; r < matrix.RowCount; r++)
        {
            for (int c = 0; c < matrix.ColumnCount; c++)
            {
                values[(r * matrix.ColumnCount) + c] = matrix[r, c];
            }
        }

        return FromArray(values, matrix.ColumnCount);
    }

    /// <summary>Rows laid out one after another in <paramref name="values"/>, <paramref name="columns"/> values each, copied and sent to every silo.</summary>
    /// <param name="values">The rows, row-major.</param>
    /// <param name="columns">The values per row; positive, dividing the length of <paramref name="values"/>.</param>
    /// <returns>The source.</returns>
    public static DistributedSource FromArray(ReadOnlySpan<float> values, int columns)
    {
        if (columns < 1 || values.Length == 0 || values.Length % columns != 0)
        {
            throw new ArgumentException(
                Invariant($"values must hold one or more whole rows of columns values, with columns positive; got {values.Length} values and {columns} columns."), nameof(values));
        }

        return new DistributedSource("rows", values.ToArray(), columns, null);
    }

    /// <summary>An IDX file (as <see cref="DataSource.FromIdx"/>) at <paramref name="path"/> on every silo.</summary>
    /// <param name="path">The file's path, the same on every silo.</param>
    /// <returns>The source.</returns>
    public static DistributedSource FromIdxFile(string path) => new("idx", null, 0, CheckedPath(path));

    /// <summary>A CSV file with a header row of names and numbers only (as <see cref="DataSource.FromCsv"/> with default options) at <paramref name="path"/> on every silo.</summary>
    /// <param name="path">The file's path, the same on every silo.</param>
    /// <returns>The source.</returns>
    public static DistributedSource FromCsvFile(string path) => new("csv", null, 0, CheckedPath(path));

    /// <summary>Opens the source on this silo.</summary>
    internal DataSource Open() => Kind switch
    {
        "rows" => DataSource.FromArray(Values!, Columns),
        "idx" => DataSource.FromIdx(Path!),
        _ => DataSource.FromCsv(Path!),
    };

    /// <inheritdoc/>
    public override string ToString() => Kind == "rows" ? Invariant($"{Values!.Length / Columns} rows of {Columns} values") : Invariant($"{Kind} file {Path}");

    private static string CheckedPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException(Invariant($"path must name a file every silo can read; got '{path}'."), nameof(path));
        }

        return path;
    }
}
