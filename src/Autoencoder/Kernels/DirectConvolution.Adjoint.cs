namespace Autoencoder.Kernels;

internal static partial class DirectConvolution
{
    /// <summary>Most output channels a layer may have to run here.</summary>
    public const int MaxFilters = 32;

    /// <summary>Most input × output channels a layer may have to run here.</summary>
    public const int MaxChannelProduct = 1024;

    /// <summary>
    /// True when a layer of <paramref name="geometry"/> with <paramref name="filters"/> outputs runs
    /// here, in training too: stride 1, where the input's gradient is itself a convolution (see
    /// <see cref="AdjointGeometry"/>); windows that start no further than a kernel's size outside the
    /// image (Keras' paddings always do); and few channels (at most <see cref="MaxFilters"/> outputs
    /// and <see cref="MaxChannelProduct"/> input × output channels), where im2col with the matrix
    /// product is slow. Decided by the shape alone, so every machine and thread count takes the same path.
    /// </summary>
    /// <remarks>
    /// Measured on 2 Zen 4 cores, 3 × 3 'same' kernels (forward, then kernel gradient; direct against
    /// im2col with the product, milliseconds): 28 × 28, 16 → 8 channels, batch 64: 1.5 and 1.9 against
    /// 10.9 and 12.5; 32 → 32: 6.5 and 13.6 against 15.9 and 17.9; 32 → 64: 12.1 and 59.1 against 19.9
    /// and 21.5; 14 × 14, 64 → 64: 9.1 and 9.7 against 10.1 and 9.1; 128 → 128 (batch 32): 19.0 and
    /// 12.9 against 11.6 and 12.6; 7 × 7, 256 → 256: 43.0 and 17.7 against 11.0 and 15.2. With many
    /// channels the product's tile is full and the column matrix small beside it.
    /// </remarks>
    public static bool Supports(in ConvGeometry geometry, int filters) =>
        geometry.StrideHeight == 1 && geometry.StrideWidth == 1
        && geometry.PadTop < geometry.KernelHeight && geometry.PadLeft < geometry.KernelWidth
        && filters <= MaxFilters && (long)geometry.Channels * filters <= MaxChannelProduct;

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
