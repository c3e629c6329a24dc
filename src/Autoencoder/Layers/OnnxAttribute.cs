namespace Autoencoder.Layers;

/// <summary>
/// One attribute of an ONNX node: its name and exactly one value, a float, an integer, a list of
/// integers (kernel shapes, strides, pads, permutations) or a string (a mode).
/// </summary>
internal readonly record struct OnnxAttribute
{
    private OnnxAttribute(string name, float? single, long? integer, long[]? integers, string? text)
    {
        Name = name;
        Single = single;
        Integer = integer;
        Integers = integers;
        Text = text;
    }

    /// <summary>The attribute's name, e.g. <c>kernel_shape</c>.</summary>
    public string Name { get; }

    /// <summary>The value when it is a float.</summary>
    public float? Single { get; }

    /// <summary>The value when it is an integer.</summary>
    public long? Integer { get; }

    /// <summary>The value when it is a list of integers.</summary>
    public long[]? Integers { get; }

    /// <summary>The value when it is a string.</summary>
    public string? Text { get; }

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, value, null, null, null);

    /// <summary>An integer attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, null, value, null, null);

    /// <summary>A list-of-integers attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, null, null, values, null);

    /// <summary>A string attribute (ASCII).</summary>
    public static OnnxAttribute String(string name, string value) => new(name, null, null, null, value);
}
