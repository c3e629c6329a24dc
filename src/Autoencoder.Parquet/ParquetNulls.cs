namespace Autoencoder.Parquet;

/// <summary>What <see cref="ParquetDataSource"/> does with a null in a selected feature column.</summary>
/// <remarks>
/// Rows cannot be left out: a row group's row count comes from the file's metadata, read when the
/// source opens, and a shuffled pass or a resumed checkpoint relies on it. Nulls are therefore
/// refused or replaced, never skipped.
/// </remarks>
public enum ParquetNulls
{
    /// <summary>The first null read is an <see cref="InvalidDataException"/> naming the file, row group, row and column.</summary>
    Error,

    /// <summary>A null is read as 0.</summary>
    Zero,
}
