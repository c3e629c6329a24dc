using System.Globalization;
using Autoencoder.Activations;
using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

/// <summary>
/// The text of one layer of a spec in a model file's <c>encoder</c> and <c>decoder</c> lists
/// (format version 4; versions 1 to 3 hold dense layers only, <c>{units}:{activation}</c>). Integers
/// are canonical decimals, pairs are <c>{rows}x{columns}</c>, paddings <c>same</c> or <c>valid</c>:
/// <list type="bullet">
/// <item><c>{units}:{activation}</c>, a dense layer;</item>
/// <item><c>conv2d:{filters}:{kh}x{kw}:{sh}x{sw}:{padding}:{activation}</c>;</item>
/// <item><c>conv2d_transpose:{filters}:{kh}x{kw}:{sh}x{sw}:{padding}:{output padding}:{activation}</c>, the output padding a pair or <c>auto</c> (Keras' default);</item>
/// <item><c>conv1d:{filters}:{kernel}:{stride}:{padding}:{activation}</c>;</item>
/// <item><c>max_pool2d:{ph}x{pw}:{sh}x{sw}:{padding}</c>, <c>upsampling2d:{sh}x{sw}</c>, <c>flatten</c> and <c>reshape:{height}x{width}x{channels}</c>.</item>
/// </list>
/// The reader accepts only the text <see cref="Format"/> writes.
/// </summary>
internal static class LayerText
{
    /// <summary>The longest valid text of one layer, its comma included (a transposed convolution with ten-digit numbers).</summary>
    public const int MaxLength = 160;

    /// <summary>The layer's text (its options are stored apart, in <c>layer_options</c>).</summary>
    public static string Format(LayerSpec layer)
    {
        string activation = ActivationFunctions.Name(layer.Activation);
        string kernel = Invariant($"{layer.KernelHeight}x{layer.KernelWidth}");
        string stride = Invariant($"{layer.StrideHeight}x{layer.StrideWidth}");
        string padding = Name(layer.Padding);
        return layer.Kind switch
        {
            LayerKind.Dense => Invariant($"{layer.Units}:{activation}"),
            LayerKind.Conv2D => Invariant($"conv2d:{layer.Units}:{kernel}:{stride}:{padding}:{activation}"),
            LayerKind.Conv2DTranspose => Invariant(
                $"conv2d_transpose:{layer.Units}:{kernel}:{stride}:{padding}:{(layer.OutputPadding is (int h, int w) ? Invariant($"{h}x{w}") : "auto")}:{activation}"),
            LayerKind.Conv1D => Invariant($"conv1d:{layer.Units}:{layer.KernelWidth}:{layer.StrideWidth}:{padding}:{activation}"),
            LayerKind.MaxPool2D => Invariant($"max_pool2d:{kernel}:{stride}:{padding}"),
            LayerKind.UpSampling2D => Invariant($"upsampling2d:{kernel}"),
            LayerKind.Flatten => "flatten",
            LayerKind.Reshape => Invariant($"reshape:{layer.Target.Height}x{layer.Target.Width}x{layer.Target.Channels}"),
            _ => throw new ArgumentOutOfRangeException(nameof(layer), Invariant($"Layer kind {layer.Kind} has no text.")),
        };
    }

    /// <summary>Reads one layer's text (no options), or returns null when it is not one <see cref="Format"/> writes.</summary>
    public static LayerSpec? Parse(string text)
    {
        string[] f = text.Split(':');
        LayerSpec? layer = f[0] switch
        {
            "conv2d" when f.Length == 6 && Pair(f[2]) is (int kh, int kw) && Pair(f[3]) is (int sh, int sw) && Padding(f[4]) is Padding p && Activation(f[5]) is Activation a && Positive(f[1]) is int units =>
                Windowed(LayerKind.Conv2D, units, kh, kw, sh, sw, p, a),
            "conv2d_transpose" when f.Length == 7 && Pair(f[2]) is (int kh, int kw) && Pair(f[3]) is (int sh, int sw) && Padding(f[4]) is Padding p && Activation(f[6]) is Activation a && Positive(f[1]) is int units
                && (f[5] == "auto" || NonNegativePair(f[5]) is not null) =>
                Windowed(LayerKind.Conv2DTranspose, units, kh, kw, sh, sw, p, a) with { OutputPadding = f[5] == "auto" ? null : NonNegativePair(f[5]) },
            "conv1d" when f.Length == 6 && Positive(f[2]) is int k && Positive(f[3]) is int s && Padding(f[4]) is Padding p && Activation(f[5]) is Activation a && Positive(f[1]) is int units =>
                Windowed(LayerKind.Conv1D, units, 1, k, 1, s, p, a),
            "max_pool2d" when f.Length == 4 && Pair(f[1]) is (int ph, int pw) && Pair(f[2]) is (int sh, int sw) && Padding(f[3]) is Padding p =>
                Windowed(LayerKind.MaxPool2D, 0, ph, pw, sh, sw, p, Autoencoder.Activation.Identity),
            "upsampling2d" when f.Length == 2 && Pair(f[1]) is (int h, int w) =>
                new LayerSpec(0, Autoencoder.Activation.Identity) { Kind = LayerKind.UpSampling2D, KernelHeight = h, KernelWidth = w },
            "flatten" when f.Length == 1 => new LayerSpec(0, Autoencoder.Activation.Identity) { Kind = LayerKind.Flatten },
            "reshape" when f.Length == 2 && Triple(f[1]) is (int h, int w, int c) && (long)h * w * c <= int.MaxValue =>
                new LayerSpec(0, Autoencoder.Activation.Identity) { Kind = LayerKind.Reshape, Target = LayerShape.Image(h, w, c) },
            _ when f.Length == 2 && Positive(f[0]) is int units && Activation(f[1]) is Activation a => new LayerSpec(units, a),
            _ => null,
        };

        // Only the canonical text: what Format gives back.
        return layer is not null && Format(layer) == text ? layer : null;
    }

    /// <summary>The text of a padding.</summary>
    public static string Name(Padding padding) => padding == Autoencoder.Padding.Same ? "same" : "valid";

    private static LayerSpec Windowed(LayerKind kind, int units, int kh, int kw, int sh, int sw, Padding padding, Activation activation) =>
        new(units, activation)
        {
            Kind = kind,
            KernelHeight = kh,
            KernelWidth = kw,
            StrideHeight = sh,
            StrideWidth = sw,
            Padding = padding,
        };

    private static int? Positive(string text) =>
        text.Length is > 0 and <= 10 && text[0] != '0' && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : null;

    private static int? NonNegative(string text) =>
        text == "0" ? 0 : Positive(text);

    private static (int, int)? Pair(string text) =>
        text.Split('x') is [var a, var b] && Positive(a) is int x && Positive(b) is int y ? (x, y) : null;

    private static (int, int)? NonNegativePair(string text) =>
        text.Split('x') is [var a, var b] && NonNegative(a) is int x && NonNegative(b) is int y ? (x, y) : null;

    private static (int, int, int)? Triple(string text) =>
        text.Split('x') is [var a, var b, var c] && Positive(a) is int x && Positive(b) is int y && Positive(c) is int z ? (x, y, z) : null;

    private static Padding? Padding(string text) => text switch
    {
        "same" => Autoencoder.Padding.Same,
        "valid" => Autoencoder.Padding.Valid,
        _ => null,
    };

    private static Activation? Activation(string text) =>
        ActivationFunctions.TryParse(text, out Activation activation) && ActivationFunctions.Name(activation) == text ? activation : null;
}
