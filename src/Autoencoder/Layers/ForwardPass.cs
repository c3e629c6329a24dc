using System.Buffers;
using System.Runtime.CompilerServices;

namespace Autoencoder.Layers;

/// <summary>
/// What every layer of one forward pass shares: the batch size, the buffers it reads, and in
/// training the generator it draws from and the state buffer it writes.
/// </summary>
internal ref struct ForwardPass
{
    private ref Pcg32 _random;

    /// <summary>An inference pass: no draws, no state written.</summary>
    public ForwardPass(int rows, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state)
    {
        Rows = rows;
        Parameters = parameters;
        State = state;
    }

    /// <summary>A training pass drawing from <paramref name="random"/> and writing running statistics to <paramref name="nextState"/>.</summary>
    public ForwardPass(int rows, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state, Span<float> nextState, Span<double> scratch, ref Pcg32 random)
    {
        Rows = rows;
        Parameters = parameters;
        State = state;
        NextState = nextState;
        Scratch = scratch;
        Training = true;
        _random = ref random;
    }

    /// <summary>Samples in the batch.</summary>
    public int Rows { get; }

    /// <summary>True in training (dropout drops, batch normalization uses batch statistics, a variational head samples).</summary>
    public bool Training { get; }

    /// <summary>The whole parameter buffer.</summary>
    public ReadOnlySpan<float> Parameters { get; }

    /// <summary>The whole state buffer as it was before this pass.</summary>
    public ReadOnlySpan<float> State { get; }

    /// <summary>Training: where layers write their updated state (the trainer makes it current once the step is known to be finite).</summary>
    public Span<float> NextState { get; }

    /// <summary>Training: double scratch for per-feature accumulators.</summary>
    public Span<double> Scratch { get; }

    /// <summary>Inference: where the layers borrow scratch arrays (the network's own; the shared pool when not set).</summary>
    public ArrayPool<float> Arrays
    {
        readonly get => field ?? ArrayPool<float>.Shared;
        init;
    }

    /// <summary>
    /// Inference, set by the pipeline for its last layer only: when not empty, the layer also writes
    /// its pre-activation here (what a loss from logits reads).
    /// </summary>
    public Span<float> PreActivation { get; set; }

    /// <summary>Training: the generator for noise, masks and samples, shared in layer order.</summary>
    public readonly ref Pcg32 Random
    {
        get
        {
            if (Unsafe.IsNullRef(ref _random))
            {
                throw new InvalidOperationException("An inference pass draws no random numbers.");
            }

            return ref _random;
        }
    }
}
