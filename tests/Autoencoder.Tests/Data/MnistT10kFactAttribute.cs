namespace Autoencoder.Tests.Data;

/// <summary>
/// A fact that needs the MNIST test split (<c>t10k-*-ubyte.gz</c>); skipped, with the reason,
/// where the files are not present. The folder is <c>/work/shared/data/mnist-t10k</c> unless the
/// environment variable <c>AUTOENCODER_MNIST_DIR</c> names another.
/// </summary>
public sealed class MnistT10kFactAttribute : FactAttribute
{
    public MnistT10kFactAttribute()
    {
        if (!File.Exists(ImagesPath) || !File.Exists(LabelsPath))
        {
            Skip = $"MNIST t10k files not found in '{Folder}' (set AUTOENCODER_MNIST_DIR).";
        }
    }

    public static string Folder =>
        Environment.GetEnvironmentVariable("AUTOENCODER_MNIST_DIR") is { Length: > 0 } dir ? dir : "/work/shared/data/mnist-t10k";

    public static string ImagesPath => Path.Combine(Folder, "t10k-images-idx3-ubyte.gz");

    public static string LabelsPath => Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz");
}
