namespace Autoencoder.Benchmarks.Onnx;

/// <summary>A batch call of the library and the ONNX graph that does the same job.</summary>
internal enum BatchCall
{
    /// <summary>Our <c>Encode</c>; ONNX Runtime on <c>ExportOnnx(stream, OnnxGraph.Encoder)</c> (output <c>code</c>, <c>[batch, LatentSize]</c>).</summary>
    Encode,

    /// <summary>Our <c>Reconstruct</c>; ONNX Runtime on <c>ExportOnnx(stream, OnnxGraph.Autoencoder)</c> (output <c>reconstruction</c>, <c>[batch, 784]</c>).</summary>
    Reconstruct,

    /// <summary>
    /// Our <c>ReconstructionErrors</c> with <c>Loss.MeanSquaredError</c>; ONNX Runtime on the export of an
    /// <c>AnomalyDetector</c> scoring by mean squared error (output <c>score</c>, <c>[batch]</c>).
    /// </summary>
    Errors,
}

/// <summary>Names of <see cref="BatchCall"/> values.</summary>
internal static class BatchCalls
{
    /// <summary>The library method's name, for tables.</summary>
    public static string MethodName(this BatchCall call) => call switch
    {
        BatchCall.Encode => "Encode",
        BatchCall.Reconstruct => "Reconstruct",
        BatchCall.Errors => "ReconstructionErrors",
        _ => throw new ArgumentOutOfRangeException(nameof(call), call, "Not a batch call."),
    };

    /// <summary>Our overload of <paramref name="call"/> that <paramref name="api"/> measures, as markdown code.</summary>
    public static string Signature(this BatchCall call, BatchApi api) => (call, api) switch
    {
        (BatchCall.Errors, BatchApi.Matrix) => "`ReconstructionErrors(Matrix<float>, Loss.MeanSquaredError)`",
        (BatchCall.Errors, BatchApi.Span) => "`ReconstructionErrors(ReadOnlySpan<float>, rows, Loss.MeanSquaredError, Span<float>)`",
        (BatchCall.Errors, BatchApi.MatrixInto) => "`ReconstructionErrors(Matrix<float>, Loss.MeanSquaredError, Vector<float>)`",
        (_, BatchApi.Matrix) => $"`{call.MethodName()}(Matrix<float>)`",
        (_, BatchApi.MatrixInto) => $"`{call.MethodName()}(Matrix<float>, Matrix<float>)`",
        (_, BatchApi.Span) => $"`{call.MethodName()}(ReadOnlySpan<float>, rows, Span<float>)`",
        _ => throw new ArgumentOutOfRangeException(nameof(api), api, "Not a batch API."),
    };

    /// <summary>The value a <c>--calls</c> entry names (encode, reconstruct, errors), or null.</summary>
    public static BatchCall? FromOption(string name) => name.ToLowerInvariant() switch
    {
        "encode" => BatchCall.Encode,
        "reconstruct" => BatchCall.Reconstruct,
        "errors" => BatchCall.Errors,
        _ => null,
    };
}
