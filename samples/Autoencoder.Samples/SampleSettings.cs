namespace Autoencoder.Samples;

/// <summary>The options every sample shares, parsed and checked.</summary>
/// <param name="Epochs">Training epochs.</param>
/// <param name="BatchSize">Rows per training batch.</param>
/// <param name="Latent">Size of the latent code.</param>
/// <param name="Seed">Seed of the model, the shuffling and every random draw of the sample.</param>
/// <param name="DataFolder">A folder of IDX files, or null for the default data.</param>
/// <param name="Shapes">Use the built-in SyntheticShapes even when Fashion-MNIST is installed.</param>
/// <param name="CsvFile">A CSV file of numeric rows, or null.</param>
/// <param name="CsvHeader">Whether the CSV file's first line holds column names.</param>
/// <param name="CsvDelimiter">The CSV delimiter as given (one character, <c>tab</c> or <c>auto</c>), or null for a comma.</param>
/// <param name="CsvSkipLines">Lines at the start of the CSV file to skip unread.</param>
/// <param name="Columns">The CSV feature columns as given (comma-separated names or positions from 0), or null for all but the label.</param>
/// <param name="LabelColumn">The CSV column holding class labels as given (a header name or a position from 0), or null when the rows are unlabeled.</param>
/// <param name="OutputFolder">Where the PNG files go.</param>
/// <param name="Quick">Few epochs on a small subset (for tests and a first look).</param>
/// <param name="Live">Whether the console is interactive: live progress bar and tables, else plain lines.</param>
internal sealed record SampleSettings(
    int Epochs,
    int BatchSize,
    int Latent,
    int Seed,
    string? DataFolder,
    bool Shapes,
    string? CsvFile,
    bool CsvHeader,
    string? CsvDelimiter,
    int CsvSkipLines,
    string? Columns,
    string? LabelColumn,
    string OutputFolder,
    bool Quick,
    bool Live)
{
    /// <summary>Whether <c>--latent</c> was given (else <see cref="Latent"/> is the sample's default).</summary>
    public bool LatentGiven { get; init; }
}
