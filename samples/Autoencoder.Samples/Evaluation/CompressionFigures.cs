namespace Autoencoder.Samples.Evaluation;

/// <summary>The storage a latent code needs for one image, against the image itself.</summary>
/// <param name="Pixels">Values per image.</param>
/// <param name="LatentUnits">Values per code.</param>
internal readonly record struct CompressionFigures(int Pixels, int LatentUnits)
{
    /// <summary>An image as float32 values.</summary>
    public int RawFloatBytes => Pixels * sizeof(float);

    /// <summary>An image as 8-bit pixels.</summary>
    public int Raw8BitBytes => Pixels;

    /// <summary>A code as float32 values.</summary>
    public int CodeFloatBytes => LatentUnits * sizeof(float);

    /// <summary>A code quantised to 8 bits per unit.</summary>
    public int Code8BitBytes => LatentUnits;

    /// <summary>Float32 image bytes per float32 code byte.</summary>
    public double FloatCodeVsFloatPixels => (double)RawFloatBytes / CodeFloatBytes;

    /// <summary>8-bit image bytes per float32 code byte.</summary>
    public double FloatCodeVs8BitPixels => (double)Raw8BitBytes / CodeFloatBytes;

    /// <summary>Float32 image bytes per 8-bit code byte.</summary>
    public double QuantizedCodeVsFloatPixels => (double)RawFloatBytes / Code8BitBytes;

    /// <summary>8-bit image bytes per 8-bit code byte.</summary>
    public double QuantizedCodeVs8BitPixels => (double)Raw8BitBytes / Code8BitBytes;
}
