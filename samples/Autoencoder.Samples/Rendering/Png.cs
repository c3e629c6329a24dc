using SkiaSharp;

namespace Autoencoder.Samples.Rendering;

/// <summary>PNG files of bitmaps, written into folders that are created when missing.</summary>
internal static class Png
{
    /// <summary>Encodes <paramref name="bitmap"/> as PNG at <paramref name="path"/>, replacing any file there.</summary>
    /// <exception cref="IOException">The file cannot be written or the bitmap cannot be encoded.</exception>
    public static void Write(string path, SKBitmap bitmap)
    {
        CreateFolderFor(path);
        using SKData? data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        if (data is null)
        {
            throw new IOException($"Could not encode the image for '{path}' as PNG.");
        }

        using FileStream file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>Creates the folder of <paramref name="path"/> if it does not exist.</summary>
    public static void CreateFolderFor(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
    }
}
