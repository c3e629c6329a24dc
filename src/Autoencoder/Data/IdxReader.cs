using System.Globalization;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>
/// Reads image and label files in the IDX format used by MNIST and Fashion-MNIST, raw or
/// gzip-compressed.
/// </summary>
/// <remarks>
/// <para>
/// An image file (IDX3) starts with the big-endian magic number <c>0x00000803</c> and the sizes
/// count, height and width, followed by <c>count·height·width</c> unsigned bytes, image after
/// image, each line after line. A label file (IDX1) starts with <c>0x00000801</c> and the count,
/// followed by one unsigned byte per label.
/// </para>
/// <para>
/// Gzip compression is recognised by the content (the bytes <c>1F 8B</c>), whatever the file is
/// called. The input is never trusted: a wrong magic number, sizes beyond the limits below, data
/// that ends early and bytes after the expected end are all reported as
/// <see cref="InvalidDataException"/> with what was expected and what was found. Image height and
/// width must each be between 1 and <see cref="MaxImageSide"/>, and an image file may hold at most
/// <see cref="Array.MaxLength"/> pixels in total.
/// </para>
/// <para>
/// For compressed input the checks apply to the decompressed content, and the compressed input
/// itself must be exactly one gzip member: it must end with the member's 8-byte trailer, whose
/// CRC-32 and size (modulo 2³²) must match the decompressed bytes, and nothing may follow it. So a
/// truncated trailer, corrupted data, bytes after the gzip data and files of several
/// concatenated gzip members (valid gzip, but never used for IDX files: decompress such a file
/// and compress it again as one) are all reported as <see cref="InvalidDataException"/>.
/// </para>
/// </remarks>
public static class IdxReader
{
    /// <summary>The largest image height or width accepted in an image file.</summary>
    public const int MaxImageSide = 1 << 16;

    private const int ImageRank = 3;
    private const int LabelRank = 1;
    private const int InitialBufferBytes = 1 << 20;
    private const int TrailingBytesCountLimit = 1 << 20;

    private static readonly string[] Splits = ["train", "t10k"];

    private static readonly float[] PixelScale = CreatePixelScale();

    /// <summary>Reads an IDX3 unsigned-byte image file into a matrix with one image per row, pixel values divided by 255.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <returns>A <c>count × (height·width)</c> matrix; column <c>y·width + x</c> holds the pixel at column <c>x</c> of line <c>y</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX3 unsigned-byte file; the message names the file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Matrix<float> ReadImages(string path) => WithFile(path, nameof(path), static stream => ReadImageData(stream).Images);

    /// <summary>
    /// Reads IDX3 unsigned-byte image data from the current position of <paramref name="stream"/>
    /// to its end into a matrix with one image per row, pixel values divided by 255. The stream is
    /// left open.
    /// </summary>
    /// <param name="stream">The data, raw or gzip-compressed; need not be seekable.</param>
    /// <returns>A <c>count × (height·width)</c> matrix; column <c>y·width + x</c> holds the pixel at column <c>x</c> of line <c>y</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The data is not a valid IDX3 unsigned-byte image file.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static Matrix<float> ReadImages(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadImageData(stream).Images;
    }

    /// <summary>Reads an IDX1 unsigned-byte label file.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <returns>One label (0–255) per entry, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX1 unsigned-byte file; the message names the file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static int[] ReadLabels(string path) => WithFile(path, nameof(path), ReadLabelData);

    /// <summary>
    /// Reads IDX1 unsigned-byte label data from the current position of <paramref name="stream"/>
    /// to its end. The stream is left open.
    /// </summary>
    /// <param name="stream">The data, raw or gzip-compressed; need not be seekable.</param>
    /// <returns>One label (0–255) per entry, in stream order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The data is not a valid IDX1 unsigned-byte label file.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static int[] ReadLabels(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadLabelData(stream);
    }

    /// <summary>Reads an image file and, optionally, the label file that goes with it.</summary>
    /// <param name="imagesPath">The IDX3 image file, raw or gzip-compressed.</param>
    /// <param name="labelsPath">The IDX1 label file, raw or gzip-compressed, or <see langword="null"/> for unlabeled images.</param>
    /// <returns>The images with their size and, when <paramref name="labelsPath"/> is given, their labels.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="imagesPath"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="imagesPath"/> or <paramref name="labelsPath"/> is empty or names a directory.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is invalid, or the number of labels differs from the number of images.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static LabeledImages Read(string imagesPath, string? labelsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        if (labelsPath is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        }

        (Matrix<float> images, int height, int width) = WithFile(imagesPath, nameof(imagesPath), ReadImageData);
        int[]? labels = null;
        if (labelsPath is not null)
        {
            labels = WithFile(labelsPath, nameof(labelsPath), ReadLabelData);
            if (labels.Length != images.RowCount)
            {
                throw new InvalidDataException(Format(
                    "Image and label counts differ: expected {0} labels in '{1}' to match the {0} images in '{2}' but found {3}.",
                    images.RowCount,
                    labelsPath,
                    imagesPath,
                    labels.Length));
            }
        }

        return new LabeledImages(images, labels, height, width);
    }

    /// <summary>
    /// Reads one split of a dataset stored under the standard MNIST / Fashion-MNIST file names:
    /// <c>{split}-images-idx3-ubyte</c> and <c>{split}-labels-idx1-ubyte</c>, each optionally
    /// with a <c>.gz</c> suffix (the uncompressed file is used when both exist).
    /// </summary>
    /// <param name="folder">The folder holding the files.</param>
    /// <param name="split"><c>"train"</c> or <c>"t10k"</c> (the test split).</param>
    /// <returns>The labeled images of the split.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> or <paramref name="split"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="folder"/> is empty or names a file, or <paramref name="split"/> is neither <c>"train"</c> nor <c>"t10k"</c>.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="folder"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException">The image or label file of the split is missing.</exception>
    /// <exception cref="InvalidDataException">A file is invalid, or the number of labels differs from the number of images.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static LabeledImages LoadFolder(string folder, string split)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(split);
        if (Array.IndexOf(Splits, split) < 0)
        {
            throw new ArgumentException(
                Invariant($"Split must be \"train\" or \"t10k\"; got \"{split}\"."),
                nameof(split));
        }

        if (File.Exists(folder))
        {
            throw new ArgumentException(Invariant($"Expected a dataset folder but '{folder}' is a file."), nameof(folder));
        }

        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(Invariant($"Dataset folder not found: '{folder}'."));
        }

        string images = FindFile(folder, split + "-images-idx3-ubyte");
        string labels = FindFile(folder, split + "-labels-idx1-ubyte");
        return Read(images, labels);
    }

    private static string FindFile(string folder, string name)
    {
        string raw = Path.Combine(folder, name);
        if (File.Exists(raw))
        {
            return raw;
        }

        string compressed = raw + ".gz";
        if (File.Exists(compressed))
        {
            return compressed;
        }

        throw new FileNotFoundException(Invariant($"Dataset file not found: expected '{raw}' or '{compressed}'."), raw);
    }

    private static T WithFile<T>(string path, string parameterName, Func<Stream, T> read)
    {
        InputFile.CheckExists(path, "an IDX file", Invariant($"IDX file not found: '{path}'."), parameterName);

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        try
        {
            return read(file);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException(Invariant($"Invalid IDX file '{path}': {ex.Message}"), ex);
        }
    }

    private static (Matrix<float> Images, int Height, int Width) ReadImageData(Stream stream)
    {
        using Stream content = CompressedInput.Open(stream, out _);
        int[] dims = IdxHeader.ReadDimensions(content, ImageRank);
        int count = dims[0], height = dims[1], width = dims[2];
        CheckSide("height", height);
        CheckSide("width", width);

        long pixels = (long)height * width;
        long total = count * pixels;
        if (total > Array.MaxLength)
        {
            throw new InvalidDataException(Format(
                "IDX image file too large: expected at most {0} pixels in total but the header declares {1} images of {2}x{3} = {4}.",
                Array.MaxLength,
                count,
                height,
                width,
                total));
        }

        string what = Format("pixel bytes ({0} images of {1}x{2})", count, height, width);
        byte[] bytes = ReadPayload(content, (int)total, IdxHeader.Length(ImageRank), what);
        float[] columnMajor = ToColumnMajor(bytes, count, (int)pixels);
        return (Matrix<float>.Build.Dense(count, (int)pixels, columnMajor), height, width);
    }

    private static int[] ReadLabelData(Stream stream)
    {
        using Stream content = CompressedInput.Open(stream, out _);
        int count = IdxHeader.ReadDimensions(content, LabelRank)[0];
        if (count > Array.MaxLength)
        {
            throw new InvalidDataException(Format(
                "IDX label file too large: expected at most {0} labels but the header declares {1}.",
                Array.MaxLength,
                count));
        }

        byte[] bytes = ReadPayload(content, count, IdxHeader.Length(LabelRank), Format("label bytes ({0} labels)", count));
        var labels = new int[count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = bytes[i];
        }

        return labels;
    }

    private static void CheckSide(string name, int value)
    {
        if (value < 1 || value > MaxImageSide)
        {
            throw new InvalidDataException(Format(
                "Invalid IDX image {0}: expected 1 to {1} but the header declares {2}.",
                name,
                MaxImageSide,
                value));
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="expected"/> bytes and checks that the data ends there. The
    /// buffer grows with the data actually read, so a header that declares far more data than
    /// the stream holds cannot make the reader allocate the declared amount.
    /// </summary>
    private static byte[] ReadPayload(Stream content, int expected, int headerLength, string what)
    {
        byte[] buffer = new byte[Math.Min(expected, InitialBufferBytes)];
        int filled = 0;
        while (filled < expected)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(expected, 2L * buffer.Length));
            }

            int read = content.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                throw new InvalidDataException(Format(
                    "Truncated IDX data: expected {0} {1} after the {2}-byte header but the data ended after {3}.",
                    expected,
                    what,
                    headerLength,
                    filled));
            }

            filled += read;
        }

        long extra = CountRemaining(content);
        if (extra > 0)
        {
            throw new InvalidDataException(Format(
                "Unexpected data after the end: expected exactly {0} {1} after the {2}-byte header but found {3}{4} more byte(s).",
                expected,
                what,
                headerLength,
                extra > TrailingBytesCountLimit ? "over " : string.Empty,
                Math.Min(extra, TrailingBytesCountLimit)));
        }

        return buffer;
    }

    /// <summary>Counts the bytes left in the stream, stopping once the count passes <see cref="TrailingBytesCountLimit"/>.</summary>
    private static long CountRemaining(Stream content)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int read;
        while (total <= TrailingBytesCountLimit && (read = content.Read(scratch)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Converts row-major bytes (one image per row) to the column-major, scaled storage of a dense matrix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] ToColumnMajor(byte[] bytes, int rows, int columns)
    {
        const int RowBlock = 64;
        float[] scale = PixelScale;
        var result = new float[rows * columns];
        for (int r0 = 0; r0 < rows; r0 += RowBlock)
        {
            int r1 = Math.Min(rows, r0 + RowBlock);
            for (int c = 0; c < columns; c++)
            {
                int dst = (c * rows) + r0;
                int src = (r0 * columns) + c;
                for (int r = r0; r < r1; r++, dst++, src += columns)
                {
                    result[dst] = scale[bytes[src]];
                }
            }
        }

        return result;
    }

    private static float[] CreatePixelScale()
    {
        var table = new float[256];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = i / 255f;
        }

        return table;
    }

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
