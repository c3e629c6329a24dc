using System.Buffers;

namespace Autoencoder.Model;

/// <summary>
/// The arrays one network's inference and scoring calls borrow for their intermediate results
/// (blocks of rows, activations, per-row sums). The network owns them, so they are freed with it,
/// and no other code's use of the process-wide <see cref="ArrayPool{T}.Shared"/> pool (whose
/// per-thread slots keep what another thread returned) and no trimming of that pool after a full
/// collection takes them away: once a call has run with as many callers at once as it will meet,
/// it allocates nothing. Arrays longer than <see cref="Network.InferenceScratchFloats"/> are not
/// kept, and at most <see cref="ArraysPerSize"/> of each size (a call on the pool's threads
/// holds about four at a time per thread).
/// </summary>
internal sealed class ScratchArrays
{
    /// <summary>Arrays of each power-of-two size kept for reuse.</summary>
    public const int ArraysPerSize = 32;

    /// <summary>Float scratch: blocks of input rows, layer activations, pre-activations.</summary>
    public ArrayPool<float> Floats { get; } = ArrayPool<float>.Create(Network.InferenceScratchFloats, ArraysPerSize);

    /// <summary>Double scratch: per-row and per-column sums.</summary>
    public ArrayPool<double> Doubles { get; } = ArrayPool<double>.Create(Network.InferenceScratchFloats, ArraysPerSize);
}
