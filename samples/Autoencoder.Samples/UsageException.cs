namespace Autoencoder.Samples;

/// <summary>An option value or an input that the sample cannot use; its message is shown to the user as one line.</summary>
internal sealed class UsageException(string message) : Exception(message);
