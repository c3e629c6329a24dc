using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Data;

/// <summary>Training and test rows in [0, 1], with labels when the source has them.</summary>
/// <param name="Train">Training rows, one sample per row.</param>
/// <param name="TrainLabels">The class of each training row, or null.</param>
/// <param name="Test">Held-out rows, never trained on.</param>
/// <param name="TestLabels">The class of each held-out row, or null.</param>
/// <param name="Height">Image height in pixels (1 for rows that are not square images).</param>
/// <param name="Width">Image width in pixels (the row length for rows that are not square images).</param>
/// <param name="Source">Where the data came from, for the report.</param>
/// <param name="ClassNames">A name per label, when known.</param>
internal sealed record Dataset(
    Matrix<float> Train,
    int[]? TrainLabels,
    Matrix<float> Test,
    int[]? TestLabels,
    int Height,
    int Width,
    string Source,
    IReadOnlyList<string>? ClassNames)
{
    /// <summary>Whether the rows are images from an image source (IDX files or SyntheticShapes), not a table.</summary>
    public bool IsImages { get; init; }

    /// <summary>Values per row.</summary>
    public int Features => Train.ColumnCount;

    /// <summary>Whether both splits are labeled.</summary>
    public bool HasLabels => TrainLabels is not null && TestLabels is not null;

    /// <summary>The display name of a class.</summary>
    public string ClassName(int label) =>
        ClassNames is not null && label >= 0 && label < ClassNames.Count ? $"{label} {ClassNames[label]}" : $"class {label}";
}
