namespace Autoencoder.Activations;

/// <summary>
/// Dispatches an <see cref="Activation"/> to its kernels. Every kernel allows its output span to be
/// the same memory as its input (in place), which inference and backpropagation rely on.
/// </summary>
internal static class ActivationFunctions
{
    /// <summary>Forward: <c>a = f(z)</c> element-wise. <paramref name="a"/> may alias <paramref name="z"/>.</summary>
    public static void Forward(Activation activation, ReadOnlySpan<float> z, Span<float> a)
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
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>
    /// Backward: <c>dZ = dA ⊙ f′(z)</c>, reading the forward input <paramref name="z"/> and output
    /// <paramref name="a"/> (whichever gives the cheaper, more accurate derivative) and overwriting
    /// <paramref name="dZ"/>, which may alias <paramref name="dA"/>.
    /// </summary>
    public static void Backward(Activation activation, ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
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
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
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
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
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
