namespace Autoencoder.Kernels;

internal static partial class DirectConvolution
{
    /// <summary>
    /// True when <paramref name="geometry"/> runs here in training too: stride 1, where the input's
    /// gradient is itself a convolution (see <see cref="AdjointGeometry"/>), and windows that start
    /// no further than a kernel's size outside the image (Keras' paddings always do).
    /// </summary>
    public static bool Supports(in ConvGeometry geometry) =>
        geometry.StrideHeight == 1 && geometry.StrideWidth == 1
        && geometry.PadTop < geometry.KernelHeight && geometry.PadLeft < geometry.KernelWidth;

    /// <summary>
    /// The convolution that gives a stride-1 layer's input gradient: it reads the output gradient
    /// (<c>Ho × Wo × filters</c>) with the kernel flipped in both directions and its channels swapped
    /// (<see cref="FlipKernel"/>), padded by <c>kh − 1 − PadTop</c> and <c>kw − 1 − PadLeft</c>, and
    /// writes the input's <c>H × W × Cin</c>: <c>dX[iy, ix, c] = Σ W[ky, kx, c, f] · dZ[iy + PadTop − ky, ix + PadLeft − kx, f]</c>.
    /// </summary>
    public static ConvGeometry AdjointGeometry(in ConvGeometry geometry, int filters) =>
        new(
            geometry.OutputHeight, geometry.OutputWidth, filters,
            geometry.KernelHeight, geometry.KernelWidth, 1, 1,
            geometry.KernelHeight - 1 - geometry.PadTop, geometry.KernelWidth - 1 - geometry.PadLeft,
            geometry.InputHeight, geometry.InputWidth);

    /// <summary>
    /// Writes to <paramref name="flipped"/> the kernel of <see cref="AdjointGeometry"/>:
    /// <c>flipped[ky, kx, f, c] = W[kh − 1 − ky, kw − 1 − kx, c, f]</c>.
    /// </summary>
    public static void FlipKernel(in ConvGeometry geometry, int filters, ReadOnlySpan<float> weights, Span<float> flipped)
    {
        int kh = geometry.KernelHeight, kw = geometry.KernelWidth, channels = geometry.Channels;
        for (int ky = 0; ky < kh; ky++)
        {
            for (int kx = 0; kx < kw; kx++)
            {
                int source = ((kh - 1 - ky) * kw) + (kw - 1 - kx), target = (ky * kw) + kx;
                ReadOnlySpan<float> block = weights.Slice(source * channels * filters, channels * filters);
                Span<float> into = flipped.Slice(target * channels * filters, channels * filters);
                for (int c = 0; c < channels; c++)
                {
                    for (int f = 0; f < filters; f++)
                    {
                        into[(f * channels) + c] = block[(c * filters) + f];
                    }
                }
            }
        }
    }
}
