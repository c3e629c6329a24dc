using Autoencoder.Kernels;

namespace Autoencoder;

/// <summary>
/// Process-wide cap on the threads the library's matrix kernels use (like PyTorch's
/// <c>torch.set_num_threads</c>). Threads split output blocks only, never a sum, so results are
/// bit-identical whatever the setting.
/// </summary>
public static class Parallelism
{
    /// <summary>
    /// The most threads one matrix product may use; defaults to <see cref="Environment.ProcessorCount"/>.
    /// Small products run on the calling thread whatever this says.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => WorkerPool.MaxDegreeOfParallelism;
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), Invariant($"{nameof(MaxDegreeOfParallelism)} must be at least 1; got {value}."));
            }

            WorkerPool.MaxDegreeOfParallelism = value;
        }
    }
}
