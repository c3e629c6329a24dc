namespace Autoencoder.Benchmarks.Onnx;

/// <summary>How our side receives a batch and returns its results.</summary>
internal enum BatchApi
{
    /// <summary>A MathNet <c>Matrix&lt;float&gt;</c> in, a new matrix or vector out (allocated by the call).</summary>
    Matrix,

    /// <summary>A MathNet <c>Matrix&lt;float&gt;</c> in, a preallocated matrix or vector out (<c>Reconstruct(x, result)</c>).</summary>
    MatrixInto,

    /// <summary>Row-major <c>ReadOnlySpan&lt;float&gt;</c> in, a preallocated <c>Span&lt;float&gt;</c> out.</summary>
    Span,
}

/// <summary>Names of <see cref="BatchApi"/> values.</summary>
internal static class BatchApis
{
    /// <summary>The heading of the API's tables.</summary>
    public static string Title(this BatchApi api) => api switch
    {
        BatchApi.Matrix => "MathNet matrices",
        BatchApi.MatrixInto => "MathNet matrices into preallocated results",
        BatchApi.Span => "row-major spans",
        _ => throw new ArgumentOutOfRangeException(nameof(api), api, "Not a batch API."),
    };

    /// <summary>The value an <c>--apis</c> entry names (matrix, span), or null.</summary>
    public static BatchApi? FromOption(string name) => name.ToLowerInvariant() switch
    {
        "matrix" => BatchApi.Matrix,
        "matrix-into" => BatchApi.MatrixInto,
        "span" => BatchApi.Span,
        _ => null,
    };
}
