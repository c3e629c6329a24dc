namespace Autoencoder;

/// <summary>The activation function applied element-wise after a dense layer's affine map.</summary>
public enum Activation
{
    /// <summary><c>f(z) = z</c>.</summary>
    Identity,

    /// <summary><c>f(z) = max(z, 0)</c>; the derivative at 0 is taken as 0, as in PyTorch.</summary>
    Relu,

    /// <summary><c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>0.01·z</c> (PyTorch's default slope).</summary>
    LeakyRelu,

    /// <summary><c>f(z) = 1 / (1 + e^(−z))</c>, output in (0, 1).</summary>
    Sigmoid,

    /// <summary><c>f(z) = tanh(z)</c>, output in (−1, 1).</summary>
    Tanh,

    /// <summary><c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>e^z − 1</c> (α = 1).</summary>
    Elu,

    /// <summary><c>f(z) = z·Φ(z)</c> with Φ the standard normal CDF (the exact, erf-based form).</summary>
    Gelu,

    /// <summary><c>f(z) = ln(1 + e^z)</c>, computed without overflow for large <c>|z|</c>.</summary>
    Softplus,
}
