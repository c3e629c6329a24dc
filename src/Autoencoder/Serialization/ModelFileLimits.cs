namespace Autoencoder.Serialization;

/// <summary>
/// The reader's budget. <see cref="MaxHeaderBytes"/> caps the one allocation sized by the file
/// before its structure is known; every later piece of work is linear in the header or data
/// actually present (see <see cref="ModelFileHeader"/> and <see cref="DataSection"/>).
/// </summary>
/// <param name="MaxHeaderBytes">The largest header accepted, in bytes.</param>
internal sealed record ModelFileLimits(long MaxHeaderBytes)
{
    /// <summary><see cref="ModelFile.MaxHeaderBytes"/>, the safetensors reference implementation's cap.</summary>
    public static readonly ModelFileLimits Default = new(ModelFile.MaxHeaderBytes);

    /// <summary>
    /// The largest file a reader with <paramref name="schema"/> accepts: the 8-byte length, the
    /// largest header, and the network's parameters, its state and every extra tensor at the most
    /// values one array holds.
    /// </summary>
    public long MaxFileBytes(ModelFileSchema schema) => 8 + MaxHeaderBytes + ((2L + schema.TensorNames.Count) * Array.MaxLength * sizeof(float));
}
