namespace Autoencoder.Tests.Data;

/// <summary>The CSV tables scikit-learn bundles, as Debian's <c>python3-sklearn</c> installs them (.ci/run installs it when missing).</summary>
internal static class SklearnData
{
    /// <summary>Where Debian's <c>python3-sklearn</c> puts the bundled tables.</summary>
    public const string Folder = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    /// <summary>The path of a bundled table; a missing file fails the test, saying what to install.</summary>
    public static string File(string name)
    {
        string path = Path.Combine(Folder, name);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException(
                $"scikit-learn's bundled table {path} is missing; install it with: apt-get install python3-sklearn", path);
        }

        return path;
    }
}
