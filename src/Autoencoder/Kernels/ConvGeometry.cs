namespace Autoencoder.Kernels;

/// <summary>
/// Where the windows of a 2-D convolution fall on a channels-last image: an input of
/// <c>InputHeight × InputWidth</c> pixels of <see cref="Channels"/> values, a
/// <c>KernelHeight × KernelWidth</c> window moved by <c>StrideHeight × StrideWidth</c>, and
/// <c>OutputHeight × OutputWidth</c> window positions. Output pixel <c>(oy, ox)</c> reads input
/// rows <c>oy·StrideHeight − PadTop + ky</c> and columns <c>ox·StrideWidth − PadLeft + kx</c>; a
/// position outside the input reads zero (the padding, on any side).
/// </summary>
/// <remarks>
/// The factories give Keras' sizes. <see cref="ForConvolution"/>: <c>valid</c> has
/// <c>⌊(in − k)/s⌋ + 1</c> positions, <c>same</c> has <c>⌈in/s⌉</c> with a total padding of
/// <c>max((out − 1)·s + k − in, 0)</c>, the smaller half at the top or left.
/// <see cref="ForTransposed"/> describes a transposed convolution by the convolution it is the
/// adjoint of (Keras' <c>conv_utils.deconv_output_length</c> for its size).
/// </remarks>
/// <param name="InputHeight">Pixel rows of the image the windows read.</param>
/// <param name="InputWidth">Pixel columns of the image the windows read.</param>
/// <param name="Channels">Values per pixel of that image.</param>
/// <param name="KernelHeight">Rows of a window.</param>
/// <param name="KernelWidth">Columns of a window.</param>
/// <param name="StrideHeight">Rows between the windows of consecutive output rows.</param>
/// <param name="StrideWidth">Columns between the windows of consecutive output columns.</param>
/// <param name="PadTop">Zero rows before the first input row that the first window covers.</param>
/// <param name="PadLeft">Zero columns before the first input column that the first window covers.</param>
/// <param name="OutputHeight">Window positions down the image.</param>
/// <param name="OutputWidth">Window positions across the image.</param>
internal readonly record struct ConvGeometry(
    int InputHeight, int InputWidth, int Channels,
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
    int PadTop, int PadLeft, int OutputHeight, int OutputWidth)
{
    /// <summary>Pixels of the input image.</summary>
    public int InputPixels => InputHeight * InputWidth;

    /// <summary>Floats of one input image (<c>InputPixels · Channels</c>).</summary>
    public int InputSize => InputPixels * Channels;

    /// <summary>Window positions (rows of the column matrix per image).</summary>
    public int OutputPixels => OutputHeight * OutputWidth;

    /// <summary>Floats of one window (<c>KernelHeight · KernelWidth · Channels</c>): the width of the column matrix.</summary>
    public int ColumnWidth => KernelHeight * KernelWidth * Channels;

    /// <summary>Zero rows below the input that the last window covers (0 when it stops short of the border).</summary>
    public int PadBottom => Math.Max(((OutputHeight - 1) * StrideHeight) + KernelHeight - InputHeight - PadTop, 0);

    /// <summary>Zero columns right of the input that the last window covers (0 when it stops short of the border).</summary>
    public int PadRight => Math.Max(((OutputWidth - 1) * StrideWidth) + KernelWidth - InputWidth - PadLeft, 0);

    /// <summary>
    /// True when each output pixel reads exactly its own input pixel (a 1×1 kernel, stride 1, no
    /// padding): the image itself is then the column matrix.
    /// </summary>
    public bool IsPointwise =>
        KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1 && PadTop == 0 && PadLeft == 0
        && OutputHeight == InputHeight && OutputWidth == InputWidth;

    /// <summary>The name Keras gives <paramref name="padding"/> (<c>same</c>, <c>valid</c>).</summary>
    public static string PaddingName(Padding padding) => padding == Padding.Same ? "same" : "valid";

    /// <summary>
    /// The geometry of a convolution of an <paramref name="inputHeight"/> × <paramref name="inputWidth"/>
    /// image of <paramref name="channels"/> channels with Keras' output size and padding (see the remarks).
    /// </summary>
    /// <param name="layer">The layer in words for messages, e.g. <c>encoder.2 (conv2d)</c>.</param>
    /// <param name="inputHeight">Pixel rows of the input.</param>
    /// <param name="inputWidth">Pixel columns of the input.</param>
    /// <param name="channels">Values per input pixel.</param>
    /// <param name="kernelHeight">Rows of a window.</param>
    /// <param name="kernelWidth">Columns of a window.</param>
    /// <param name="strideHeight">Vertical step of the window.</param>
    /// <param name="strideWidth">Horizontal step of the window.</param>
    /// <param name="padding">Keras' padding mode.</param>
    /// <exception cref="ArgumentException">A size or stride is not positive, or a <c>valid</c> window is larger than the input.</exception>
    public static ConvGeometry ForConvolution(
        string layer, int inputHeight, int inputWidth, int channels,
        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding padding)
    {
        CheckWindow(layer, kernelHeight, kernelWidth, strideHeight, strideWidth, padding);
        if (padding == Padding.Valid && (kernelHeight > inputHeight || kernelWidth > inputWidth))
        {
            throw new ArgumentException(Invariant(
                $"Layer {layer}: a {kernelHeight}×{kernelWidth} kernel with 'valid' padding needs an input of at least {kernelHeight}×{kernelWidth}; got {inputHeight}×{inputWidth}."));
        }

        var (outputHeight, padTop) = ConvolutionLength(inputHeight, kernelHeight, strideHeight, padding);
        var (outputWidth, padLeft) = ConvolutionLength(inputWidth, kernelWidth, strideWidth, padding);
        return new ConvGeometry(
            inputHeight, inputWidth, channels, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, outputHeight, outputWidth);
    }

    /// <summary>
    /// The geometry of the convolution whose adjoint is a transposed convolution of an
    /// <paramref name="inputHeight"/> × <paramref name="inputWidth"/> image into
    /// <paramref name="filters"/> channels: its input is the transposed layer's output (Keras' size:
    /// without output padding <c>same</c> gives <c>in·s</c> and <c>valid</c> gives
    /// <c>in·s + max(k − s, 0)</c>; with output padding <c>p</c>,
    /// <c>(in − 1)·s + k − 2·pad + p</c> with <c>pad = ⌊k/2⌋</c> for <c>same</c> and 0 for
    /// <c>valid</c>), its output is the transposed layer's input, and its top (left) padding is the
    /// transposed layer's cropping, <c>⌊max((in − 1)·s + k − out, 0)/2⌋</c> as TensorFlow's
    /// <c>conv2d_transpose</c> crops.
    /// </summary>
    /// <param name="layer">The layer in words for messages, e.g. <c>decoder.1 (conv2d_transpose)</c>.</param>
    /// <param name="inputHeight">Pixel rows of the transposed layer's input.</param>
    /// <param name="inputWidth">Pixel columns of the transposed layer's input.</param>
    /// <param name="filters">Channels of the transposed layer's output.</param>
    /// <param name="kernelHeight">Rows of a window.</param>
    /// <param name="kernelWidth">Columns of a window.</param>
    /// <param name="strideHeight">Vertical step of the window on the output.</param>
    /// <param name="strideWidth">Horizontal step of the window on the output.</param>
    /// <param name="padding">Keras' padding mode.</param>
    /// <param name="outputPaddingHeight">Keras' <c>output_padding</c> along the height, or null for none given.</param>
    /// <param name="outputPaddingWidth">Keras' <c>output_padding</c> along the width, or null for none given.</param>
    /// <exception cref="ArgumentException">A size or stride is not positive, an output padding is negative or not below its stride, or the output would be empty.</exception>
    public static ConvGeometry ForTransposed(
        string layer, int inputHeight, int inputWidth, int filters,
        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding padding,
        int? outputPaddingHeight, int? outputPaddingWidth)
    {
        CheckWindow(layer, kernelHeight, kernelWidth, strideHeight, strideWidth, padding);
        CheckOutputPadding(layer, "height", outputPaddingHeight, strideHeight);
        CheckOutputPadding(layer, "width", outputPaddingWidth, strideWidth);
        var (outputHeight, cropTop) = TransposedLength(inputHeight, kernelHeight, strideHeight, padding, outputPaddingHeight);
        var (outputWidth, cropLeft) = TransposedLength(inputWidth, kernelWidth, strideWidth, padding, outputPaddingWidth);
        if (outputHeight < 1 || outputWidth < 1)
        {
            throw new ArgumentException(Invariant(
                $"Layer {layer}: a {kernelHeight}×{kernelWidth} kernel with stride {strideHeight}×{strideWidth}, '{PaddingName(padding)}' padding and output padding {outputPaddingHeight}×{outputPaddingWidth} on a {inputHeight}×{inputWidth} input needs an output of at least 1×1; got {outputHeight}×{outputWidth}."));
        }

        return new ConvGeometry(
            outputHeight, outputWidth, filters, kernelHeight, kernelWidth, strideHeight, strideWidth, cropTop, cropLeft, inputHeight, inputWidth);
    }

    /// <summary>
    /// Keras' output padding of a transposed convolution of this (adjoint) geometry along the height
    /// or width: what <c>output_padding</c> would give the same output size, <c>out − ((in − 1)·s + k − 2·pad)</c>.
    /// </summary>
    public static int EffectiveOutputPadding(int transposedInput, int transposedOutput, int kernel, int stride, Padding padding) =>
        transposedOutput - (((transposedInput - 1) * stride) + kernel - (2 * (padding == Padding.Same ? kernel / 2 : 0)));

    private static (int Length, int PadBefore) ConvolutionLength(int input, int kernel, int stride, Padding padding)
    {
        if (padding == Padding.Valid)
        {
            return (((input - kernel) / stride) + 1, 0);
        }

        int length = (int)(((long)input + stride - 1) / stride);
        int total = Math.Max(((length - 1) * stride) + kernel - input, 0);
        return (length, total / 2);
    }

    private static (int Length, int CropBefore) TransposedLength(int input, int kernel, int stride, Padding padding, int? outputPadding)
    {
        long length = outputPadding is int extra
            ? ((long)(input - 1) * stride) + kernel - (2 * (padding == Padding.Same ? kernel / 2 : 0)) + extra
            : padding == Padding.Same ? (long)input * stride : ((long)input * stride) + Math.Max(kernel - stride, 0);
        long full = ((long)(input - 1) * stride) + kernel;
        long crop = Math.Max(full - length, 0) / 2;
        return ((int)Math.Clamp(length, int.MinValue, int.MaxValue), (int)crop);
    }

    private static void CheckWindow(string layer, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding padding)
    {
        if (kernelHeight < 1 || kernelWidth < 1)
        {
            throw new ArgumentException(Invariant($"Layer {layer}: a kernel needs a positive height and width; got {kernelHeight}×{kernelWidth}."));
        }

        if (strideHeight < 1 || strideWidth < 1)
        {
            throw new ArgumentException(Invariant($"Layer {layer}: strides must be positive; got {strideHeight}×{strideWidth}."));
        }

        if (padding is not (Padding.Same or Padding.Valid))
        {
            throw new ArgumentException(Invariant($"Layer {layer}: padding must be one of {string.Join(", ", Enum.GetNames<Padding>())}; got {padding}."));
        }
    }

    private static void CheckOutputPadding(string layer, string axis, int? outputPadding, int stride)
    {
        if (outputPadding is int p && (p < 0 || p >= stride))
        {
            throw new ArgumentException(Invariant($"Layer {layer}: the output padding along the {axis} must be at least 0 and below the stride {stride}; got {p}."));
        }
    }
}
