namespace Autoencoder.Samples.Tests;

internal static class TestData
{
    /// <summary>The MNIST test set's IDX files (t10k only), in shared/data/mnist-t10k beside the repository.</summary>
    public static string MnistFolder
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null)
            {
                string candidate = Path.Combine(dir, "..", "shared", "data", "mnist-t10k");
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }

                dir = Path.GetDirectoryName(dir);
            }

            throw new DirectoryNotFoundException(
                $"The MNIST test set (shared/data/mnist-t10k beside the repository) was not found above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Where Debian's <c>python3-sklearn</c> puts the tables scikit-learn bundles.</summary>
    public const string SklearnFolder = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    /// <summary>One of scikit-learn's bundled tables; a missing file fails the test, saying what to install.</summary>
    public static string SklearnFile(string name)
    {
        string path = Path.Combine(SklearnFolder, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"scikit-learn's bundled table {path} is missing; install it with: apt-get install python3-sklearn", path);
        }

        return path;
    }

    /// <summary>The data options of a test run: the built-in shapes, or the MNIST test set.</summary>
    public static string[] DataArguments(string dataset) => dataset switch
    {
        "shapes" => ["--shapes"],
        "mnist" => ["--data", MnistFolder],
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "Expected shapes or mnist."),
    };
}
