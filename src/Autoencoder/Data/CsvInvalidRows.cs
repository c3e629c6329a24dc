namespace Autoencoder.Data;

/// <summary>What <see cref="CsvReader"/> does with a data row whose values cannot be read.</summary>
/// <remarks>
/// A row is invalid when a feature it should supply is empty, not a number or not a finite
/// single-precision number, or when its label is empty. Columns that are not read (neither a
/// selected feature nor the label) are never parsed, so they cannot make a row invalid. Malformed
/// quoting, control characters and a row with the wrong number of values are signs of a broken or
/// misread file and are errors under either choice.
/// </remarks>
public enum CsvInvalidRows
{
    /// <summary>The first invalid row is an <see cref="InvalidDataException"/> naming the file, line, column and the text found.</summary>
    Error,

    /// <summary>Invalid rows are left out and counted (<see cref="CsvTable.SkippedRows"/>).</summary>
    Skip,
}
