using Autoencoder.Kernels;

namespace Autoencoder;

/// <summary>
/// Process-wide cap on the threads the library's kernels use (like PyTorch's
/// <c>torch.set_num_threads</c>): matrix products split their output blocks, and large element-wise
/// passes (activations, losses, the optimizer step) run in two fixed halves. How work is split never
/// depends on the setting, so results are bit-identical whatever it is. While a run of split calls
/// is under way (a training step, a one-row pass of a large model) the helper threads poll for the
/// next call rather than sleep, and for 100 µs after it; a service scoring many requests at once
/// on few cores does better with 1 here, one thread per request.
/// </summary>
public static class Parallelism
{
    /// <summary>
    /// The most threads one call may use; defaults to <see cref="Environment.ProcessorCount"/>.
    /// Small products and passes run on the calling thread whatever this says.
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
