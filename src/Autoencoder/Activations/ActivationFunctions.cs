using Autoencoder.Kernels;

namespace Autoencoder.Activations;

/// <summary>
/// Dispatches an <see cref="Activation"/> to its kernels. Every kernel allows its output span to be
/// the same memory as its input (in place), which inference and backpropagation rely on.
/// </summary>
internal static class ActivationFunctions
{
    /// <summary>Spans of at least this many elements are processed in two halves on the worker pool.</summary>
    internal const int ParallelMinimum = 1 << 16;

    /// <summary>
    /// Forward: <c>a = f(z)</c> element-wise. <paramref name="a"/> may alias <paramref name="z"/>.
    /// Large spans run in two halves on the worker pool; each element's result is the same
    /// either way (the kernels are element-wise and the halves are cut at a multiple of every vector width).
    /// </summary>
    public static unsafe void Forward(Activation activation, ReadOnlySpan<float> z, Span<float> a)
    {
        if (z.Length < ParallelMinimum)
        {
            ForwardSerial(activation, z, a);
            return;
        }

        // The halves are sliced from pointers, so the lengths the serial kernels check are checked here first.
        ElementwiseDriver.CheckOutput(z, a, nameof(a));
        fixed (float* pz = z, pa = a)
        {
            var work = new ForwardWork { Activation = activation, Z = pz, A = pa };
            WorkerPool.InHalves(ref work, z.Length, ParallelMinimum);
        }
    }

    private static void ForwardSerial(Activation activation, ReadOnlySpan<float> z, Span<float> a)
    {
        switch (activation)
        {
            case Activation.Identity: Identity.Forward(z, a); break;
            case Activation.Relu: Relu.Forward(z, a); break;
            case Activation.LeakyRelu: LeakyRelu.Forward(z, a); break;
            case Activation.Sigmoid: Sigmoid.Forward(z, a); break;
            case Activation.Tanh: Tanh.Forward(z, a); break;
            case Activation.Elu: Elu.Forward(z, a); break;
            case Activation.Gelu: Gelu.Forward(z, a); break;
            case Activation.Softplus: Softplus.Forward(z, a); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), Invariant($"Unknown activation; got {activation}."));
        }
    }

    /// <summary>
    /// Backward: <c>dZ = dA ⊙ f′(z)</c>, reading the forward input <paramref name="z"/> and output
    /// <paramref name="a"/> (whichever gives the cheaper, more accurate derivative) and overwriting
    /// <paramref name="dZ"/>, which may alias <paramref name="dA"/>. Large spans run in two halves, as <see cref="Forward"/>.
    /// </summary>
    public static unsafe void Backward(Activation activation, ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        if (dZ.Length < ParallelMinimum)
        {
            BackwardSerial(activation, z, a, dA, dZ);
            return;
        }

        ElementwiseDriver.CheckInput(dZ, dA, nameof(dA));
        if (!z.IsEmpty)
        {
            ElementwiseDriver.CheckInput(dZ, z, nameof(z));
        }

        if (!a.IsEmpty)
        {
            ElementwiseDriver.CheckInput(dZ, a, nameof(a));
        }

        fixed (float* pz = z, pa = a, pdA = dA, pdZ = dZ)
        {
            var work = new BackwardWork { Activation = activation, Z = pz, A = pa, DA = pdA, DZ = pdZ };
            WorkerPool.InHalves(ref work, dZ.Length, ParallelMinimum);
        }
    }

    /// <summary>One half of a large forward pass.</summary>
    private unsafe struct ForwardWork : IRangeWork
    {
        public Activation Activation;
        public float* Z;
        public float* A;

        public readonly void Run(int part, int start, int length) =>
            ForwardSerial(Activation, new ReadOnlySpan<float>(Z + start, length), new Span<float>(A + start, length));
    }

    /// <summary>One half of a large backward pass.</summary>
    private unsafe struct BackwardWork : IRangeWork
    {
        public Activation Activation;
        public float* Z;
        public float* A;
        public float* DA;
        public float* DZ;

        // z or a may be unused by an activation's derivative (and then passed empty): slice only what exists.
        public readonly void Run(int part, int start, int length) =>
            BackwardSerial(
                Activation,
                Z == null ? default : new ReadOnlySpan<float>(Z + start, length),
                A == null ? default : new ReadOnlySpan<float>(A + start, length),
                new ReadOnlySpan<float>(DA + start, length),
                new Span<float>(DZ + start, length));
    }

    private static void BackwardSerial(Activation activation, ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        switch (activation)
        {
            case Activation.Identity: Identity.Backward(dA, dZ); break;
            case Activation.Relu: Relu.Backward(z, dA, dZ); break;
            case Activation.LeakyRelu: LeakyRelu.Backward(z, dA, dZ); break;
            case Activation.Sigmoid: Sigmoid.Backward(a, dA, dZ); break;
            case Activation.Tanh: Tanh.Backward(a, dA, dZ); break;
            case Activation.Elu: Elu.Backward(z, a, dA, dZ); break;
            case Activation.Gelu: Gelu.Backward(z, dA, dZ); break;
            case Activation.Softplus: Softplus.Backward(z, dA, dZ); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), Invariant($"Unknown activation; got {activation}."));
        }
    }

    /// <summary>The lower-case name used in model files and messages (closed set).</summary>
    public static string Name(Activation activation) => activation switch
    {
        Activation.Identity => "identity",
        Activation.Relu => "relu",
        Activation.LeakyRelu => "leaky_relu",
        Activation.Sigmoid => "sigmoid",
        Activation.Tanh => "tanh",
        Activation.Elu => "elu",
        Activation.Gelu => "gelu",
        Activation.Softplus => "softplus",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), Invariant($"Unknown activation; got {activation}.")),
    };

    /// <summary>Parses a name written by <see cref="Name"/>; false for anything else.</summary>
    public static bool TryParse(string name, out Activation activation)
    {
        foreach (Activation candidate in Enum.GetValues<Activation>())
        {
            if (Name(candidate) == name)
            {
                activation = candidate;
                return true;
            }
        }

        activation = default;
        return false;
    }
}
