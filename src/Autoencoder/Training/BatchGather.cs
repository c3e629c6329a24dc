using Autoencoder.Kernels;

namespace Autoencoder.Training;

/// <summary>Copies a batch's rows, in the epoch's order, from the training data into the batch buffer.</summary>
internal static class BatchGather
{
    /// <summary>
    /// Copies the rows of <paramref name="train"/> listed in <paramref name="rows"/> into
    /// <paramref name="batch"/>; a batch of at least 2^16 values is copied in two halves on the worker pool.
    /// </summary>
    public static unsafe void Rows(float[] train, ReadOnlySpan<int> rows, int width, float[] batch)
    {
        fixed (float* source = train, destination = batch)
        fixed (int* order = rows)
        {
            // Cut by rows (alignment 1): a row is one copy wherever the cut falls.
            var work = new GatherWork { Source = source, Destination = destination, Rows = order, Width = width };
            WorkerPool.InHalves(ref work, rows.Length, parallelMinimum: ((1 << 16) + width - 1) / width, alignment: 1);
        }
    }

    /// <summary>Rows <c>[start, start + length)</c> of a batch gathered from the training data.</summary>
    private unsafe struct GatherWork : IRangeWork
    {
        public float* Source;
        public float* Destination;
        public int* Rows;
        public int Width;

        public readonly void Run(int part, int start, int length)
        {
            for (int r = start; r < start + length; r++)
            {
                new ReadOnlySpan<float>(Source + ((long)Rows[r] * Width), Width)
                    .CopyTo(new Span<float>(Destination + ((long)r * Width), Width));
            }
        }
    }
}
