namespace Autoencoder;

/// <summary>
/// Thrown when a model file cannot be loaded because its contents are invalid: not the model
/// file layout, truncated, inconsistent with its own header, or holding non-finite weights. The
/// message names what is wrong.
/// </summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a message naming the problem.</summary>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
