using Autoencoder.Data;

namespace Autoencoder.Tests.Data;

/// <summary>A block source over row-major values, in blocks of uneven sizes (an empty one among them), as a Parquet file's row groups would be.</summary>
internal sealed class TestBlockSource(float[] values, int columns, int[] blockRows) : BlockDataSource(columns)
{
    public int BlocksRead { get; private set; }

    protected override int BlockCount => blockRows.Length;

    protected override string DataIdentity => $"test blocks {string.Join(",", blockRows)}";

    protected override int RowsInBlock(int block) => blockRows[block];

    protected override void ReadBlock(int block, Span<float> destination)
    {
        BlocksRead++;
        int start = blockRows.Take(block).Sum();
        values.AsSpan(start * Columns, blockRows[block] * Columns).CopyTo(destination);
    }

    /// <summary>Blocks of 1 to 700 rows and one empty block, adding up to <paramref name="rows"/>.</summary>
    public static int[] UnevenBlocks(int rows)
    {
        var blocks = new List<int>();
        int left = rows, size = 1;
        while (left > 0)
        {
            int take = Math.Min(left, size);
            blocks.Add(take);
            if (blocks.Count == 3)
            {
                blocks.Add(0);
            }

            left -= take;
            size = (size * 7 % 700) + 1;
        }

        return [.. blocks];
    }
}
