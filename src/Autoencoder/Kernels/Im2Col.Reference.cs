namespace Autoencoder.Kernels;

internal static partial class Im2Col
{
    /// <summary>
    /// Scalar reference for <see cref="Gather"/>: every element of every window, one at a time, from
    /// the definition (input row <c>oy·sh − PadTop + ky</c>, column <c>ox·sw − PadLeft + kx</c>, zero outside).
    /// </summary>
    public static void GatherReference(in ConvGeometry geometry, ReadOnlySpan<float> images, int batch, Span<float> columns)
    {
        int row = 0;
        for (int b = 0; b < batch; b++)
        {
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++, row++)
                {
                    int at = row * geometry.ColumnWidth;
                    for (int ky = 0; ky < geometry.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < geometry.KernelWidth; kx++)
                        {
                            for (int c = 0; c < geometry.Channels; c++, at++)
                            {
                                columns[at] = TryPixel(geometry, b, oy, ox, ky, kx, c, out int index) ? images[index] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Scalar reference for <see cref="Scatter"/>: adds every in-image element of every window to its pixel, rows ascending.</summary>
    public static void ScatterReference(in ConvGeometry geometry, ReadOnlySpan<float> columns, int batch, Span<float> images)
    {
        int row = 0;
        for (int b = 0; b < batch; b++)
        {
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++, row++)
                {
                    int at = row * geometry.ColumnWidth;
                    for (int ky = 0; ky < geometry.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < geometry.KernelWidth; kx++)
                        {
                            for (int c = 0; c < geometry.Channels; c++, at++)
                            {
                                if (TryPixel(geometry, b, oy, ox, ky, kx, c, out int index))
                                {
                                    images[index] += columns[at];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The index of the input value that window element <c>(ky, kx, c)</c> of output pixel <c>(oy, ox)</c> of image <c>b</c> reads; false when it lies in the padding.</summary>
    private static bool TryPixel(in ConvGeometry geometry, int b, int oy, int ox, int ky, int kx, int c, out int index)
    {
        int iy = (oy * geometry.StrideHeight) - geometry.PadTop + ky;
        int ix = (ox * geometry.StrideWidth) - geometry.PadLeft + kx;
        bool inside = iy >= 0 && iy < geometry.InputHeight && ix >= 0 && ix < geometry.InputWidth;
        index = inside ? (((((b * geometry.InputHeight) + iy) * geometry.InputWidth) + ix) * geometry.Channels) + c : -1;
        return inside;
    }
}
