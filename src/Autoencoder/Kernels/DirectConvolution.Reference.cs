namespace Autoencoder.Kernels;

internal static partial class DirectConvolution
{
    /// <summary>
    /// Scalar reference for <see cref="Forward"/>: each output from the definition, its bias (or
    /// zero) then one <see cref="MathF.FusedMultiplyAdd"/> per in-image tap, <c>ky</c>, <c>kx</c>,
    /// <c>c</c> ascending: the kernel's order, so the two agree bit for bit.
    /// </summary>
    public static void ForwardReference(
        in ConvGeometry geometry, int filters, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> z)
    {
        ConvGeometry g = geometry;
        for (int n = 0; n < batch; n++)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    for (int f = 0; f < filters; f++)
                    {
                        float acc = bias.IsEmpty ? 0f : bias[f];
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                        {
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                            {
                                int iy = (oy * g.StrideHeight) - g.PadTop + ky, ix = (ox * g.StrideWidth) - g.PadLeft + kx;
                                if (iy < 0 || iy >= g.InputHeight || ix < 0 || ix >= g.InputWidth)
                                {
                                    continue;
                                }

                                for (int c = 0; c < g.Channels; c++)
                                {
                                    float input = x[(n * g.InputSize) + (((iy * g.InputWidth) + ix) * g.Channels) + c];
                                    acc = MathF.FusedMultiplyAdd(input, weights[((((ky * g.KernelWidth) + kx) * g.Channels) + c) * filters + f], acc);
                                }
                            }
                        }

                        z[(((n * g.OutputPixels) + (oy * g.OutputWidth) + ox) * filters) + f] = acc;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Scalar reference for <see cref="Weights"/>: each weight's gradient from zero, one
    /// <see cref="MathF.FusedMultiplyAdd"/> per output pixel whose tap is inside the image,
    /// <c>n</c>, <c>oy</c>, <c>ox</c> ascending.
    /// </summary>
    public static void WeightsReference(
        in ConvGeometry geometry, int filters, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> dZ, Span<float> dWeights)
    {
        ConvGeometry g = geometry;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                for (int c = 0; c < g.Channels; c++)
                {
                    for (int f = 0; f < filters; f++)
                    {
                        float acc = 0f;
                        for (int n = 0; n < batch; n++)
                        {
                            for (int oy = 0; oy < g.OutputHeight; oy++)
                            {
                                for (int ox = 0; ox < g.OutputWidth; ox++)
                                {
                                    int iy = (oy * g.StrideHeight) - g.PadTop + ky, ix = (ox * g.StrideWidth) - g.PadLeft + kx;
                                    if (iy < 0 || iy >= g.InputHeight || ix < 0 || ix >= g.InputWidth)
                                    {
                                        continue;
                                    }

                                    float input = x[(n * g.InputSize) + (((iy * g.InputWidth) + ix) * g.Channels) + c];
                                    acc = MathF.FusedMultiplyAdd(input, dZ[(((n * g.OutputPixels) + (oy * g.OutputWidth) + ox) * filters) + f], acc);
                                }
                            }
                        }

                        dWeights[((((ky * g.KernelWidth) + kx) * g.Channels) + c) * filters + f] = acc;
                    }
                }
            }
        }
    }
}
