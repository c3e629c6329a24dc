namespace Autoencoder.Losses;

/// <summary>The distribution a reconstruction loss stands for as a variational model's likelihood <c>p(x | z)</c>.</summary>
internal enum VariationalLikelihood
{
    /// <summary>The loss is no log-likelihood a variational model can use.</summary>
    None,

    /// <summary>Binary cross-entropy: a Bernoulli per feature, <c>−log p = ℓ</c>.</summary>
    Bernoulli,

    /// <summary>Squared error: a unit-variance Gaussian per feature, <c>−log p = ½ℓ + ½ ln 2π</c>.</summary>
    Gaussian,
}
