using Parquet;
using Parquet.Schema;

namespace Autoencoder.Parquet.Tests;

/// <summary>
/// A Parquet file written with Parquet.Net for the tests: row groups of uneven sizes (an empty one
/// among them) with a float, a double, an int32, an int64, a nullable double and a string label
/// column, and the values each row holds. Values are drawn from a seed, small enough that every
/// column's values are exact in float32, so what is read can be compared bit for bit.
/// </summary>
internal sealed class TestParquetFile
{
    /// <summary>The row groups' sizes: 230 rows in all.</summary>
    public static readonly int[] RowGroups = [37, 5, 0, 61, 1, 96, 30];

    private TestParquetFile(string path, float[] f, double[] d, int[] i, long[] l, double?[] gaps, string[] labels)
    {
        Path = path;
        F = f;
        D = d;
        I = i;
        L = l;
        Gaps = gaps;
        Labels = labels;
    }

    public string Path { get; }

    public float[] F { get; }

    public double[] D { get; }

    public int[] I { get; }

    public long[] L { get; }

    /// <summary>A nullable double column: null in every seventh row.</summary>
    public double?[] Gaps { get; }

    public string[] Labels { get; }

    public int Rows => F.Length;

    /// <summary>The rows of the named columns ("f", "d", "i", "l"), one array per row, in the order given.</summary>
    public float[][] RowsOf(params string[] columns) =>
        [.. Enumerable.Range(0, Rows).Select(r => columns.Select(c => c switch
        {
            "f" => F[r],
            "d" => (float)D[r],
            "i" => I[r],
            "l" => L[r],
            _ => throw new ArgumentOutOfRangeException(nameof(columns), c, "not a test column"),
        }).ToArray())];

    /// <summary>Writes the file at <paramref name="path"/> with values drawn from <paramref name="seed"/>.</summary>
    public static TestParquetFile Write(string path, int seed = 5, bool withGaps = false)
    {
        int rows = RowGroups.Sum();
        var random = new Random(seed);
        float[] f = [.. Enumerable.Range(0, rows).Select(_ => random.Next(0, 1 << 12) / 4096f)];
        double[] d = [.. Enumerable.Range(0, rows).Select(_ => random.Next(0, 1 << 12) / 4096.0)];
        int[] i = [.. Enumerable.Range(0, rows).Select(_ => random.Next(0, 2))];
        long[] l = [.. Enumerable.Range(0, rows).Select(_ => (long)random.Next(0, 2))];
        double?[] gaps = [.. Enumerable.Range(0, rows).Select(r => r % 7 == 3 ? (double?)null : r / 256.0)];
        string[] labels = [.. Enumerable.Range(0, rows).Select(r => r % 3 == 0 ? "a" : "b")];
        var file = new TestParquetFile(path, f, d, i, l, gaps, labels);
        file.WriteAsync(withGaps).GetAwaiter().GetResult();
        return file;
    }

    private async Task WriteAsync(bool withGaps)
    {
        var fields = new DataField[]
        {
            new DataField<float>("f"), new DataField<double>("d"), new DataField<int>("i"), new DataField<long>("l"),
            new DataField<string>("label"), new DataField<double?>("gaps"),
        };
        var schema = new ParquetSchema(withGaps ? fields : fields[..5]);
        await using FileStream stream = File.Create(Path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream);
        int start = 0;
        foreach (int count in RowGroups)
        {
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            Range range = start..(start + count);
            await group.WriteAsync<float>(fields[0], F[range]);
            await group.WriteAsync<double>(fields[1], D[range]);
            await group.WriteAsync<int>(fields[2], I[range]);
            await group.WriteAsync<long>(fields[3], L[range]);
            await group.WriteAsync(fields[4], Labels[range]);
            if (withGaps)
            {
                await group.WriteAsync<double>(fields[5], Gaps[range].AsMemory());
            }

            start += count;
        }
    }
}
