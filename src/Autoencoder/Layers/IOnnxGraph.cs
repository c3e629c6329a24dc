namespace Autoencoder.Layers;

/// <summary>The ONNX graph a layer appends its inference nodes to (see <see cref="Layer.EmitOnnx"/>).</summary>
internal interface IOnnxGraph
{
    /// <summary>
    /// Appends a node of operator <paramref name="opType"/> reading <paramref name="inputs"/> with
    /// float attributes; returns its output's name (<paramref name="output"/> when given, else the node's name).
    /// </summary>
    string Node(string opType, string name, string[] inputs, string? output, params (string Name, float Value)[] attributes);

    /// <summary>
    /// Appends a node of operator <paramref name="opType"/> reading <paramref name="inputs"/> with
    /// attributes of any kind (integers, integer lists, strings, floats; see <see cref="OnnxAttribute"/>);
    /// returns its output's name as <see cref="Node"/> does.
    /// </summary>
    string NodeWith(string opType, string name, string[] inputs, string? output, OnnxAttribute[] attributes);

    /// <summary>Adds a float tensor constant; returns its name.</summary>
    string Initializer(string name, long[] dims, ReadOnlyMemory<float> values);

    /// <summary>Adds a one-dimensional int64 tensor constant (a shape, for instance); returns its name.</summary>
    string Int64Initializer(string name, long[] values);

    /// <summary>A float scalar constant, shared by every node that uses the value.</summary>
    string Scalar(float value);
}
