using System.Buffers;

namespace Autoencoder.Model;

/// <summary>
/// The arrays one network's inference and scoring calls borrow for their intermediate results
/// (blocks of rows, activations, per-row sums). The network owns them, so they are freed with it,
/// and no other code's use of the process-wide <see cref="ArrayPool{T}.Shared"/> pool (whose
/// per-thread slots keep what another thread returned) and no trimming of that pool after a full
/// collection takes them away: once a call has run with as many callers at once as it will meet,
/// it allocates nothing. Arrays longer than <see cref="Network.InferenceScratchFloats"/> values are
/// not kept (a call then allocates them), and at most <see cref="ArraysPerSize"/> of each size: a
/// call holds about two of a size per thread running its blocks, so the pool serves some
/// <c>ArraysPerSize / 4</c> concurrent calls on two threads each before calls beyond those allocate.
/// Each size has one lock; the arrays stay until the network is collected.
/// </summary>
internal sealed class ScratchArrays
{
    /// <summary>Arrays of each power-of-two size kept for reuse: 32, or eight per core on larger machines.</summary>
    public static readonly int ArraysPerSize = Math.Max(32, 8 * Environment.ProcessorCount);

    /// <summary>Float scratch: blocks of input rows, layer activations, pre-activations.</summary>
    public ArrayPool<float> Floats { get; } = ArrayPool<float>.Create(Network.InferenceScratchFloats, ArraysPerSize);

    /// <summary>Double scratch: per-row and per-column sums.</summary>
    public ArrayPool<double> Doubles { get; } = ArrayPool<double>.Create(Network.InferenceScratchFloats, ArraysPerSize);
}
