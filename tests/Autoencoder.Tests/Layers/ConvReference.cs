using Autoencoder.Layers;

namespace Autoencoder.Tests.Layers;

/// <summary>
/// Convolutions from their definitions, in double, for the layer tests: nested loops over every
/// term, channels-last images, Keras' <c>HWIO</c> kernels, and Keras' (TensorFlow's) sizes written
/// out here from their formulas rather than taken from the library.
/// </summary>
internal static class ConvReference
{
    /// <summary>
    /// Relative agreement expected between the float layers and these double loops: a value is a
    /// float sum of at most a few thousand products of magnitude ≤ 1 (≈1e-6 relative rounding per
    /// term added), so 1e-4 of the largest value leaves margin while a misplaced window or a wrong
    /// tap is off by O(1).
    /// </summary>
    public const double Tolerance = 1e-4;

    /// <summary>One axis of a convolution: output length and padding before, as Keras computes them.</summary>
    public static (int Length, int Before) ConvAxis(int input, int kernel, int stride, Padding padding)
    {
        if (padding == Padding.Valid)
        {
            return (((input - kernel) / stride) + 1, 0);
        }

        int length = (input + stride - 1) / stride;
        return (length, Math.Max(((length - 1) * stride) + kernel - input, 0) / 2);
    }

    /// <summary>One axis of a transposed convolution: Keras' <c>deconv_output_length</c> and TensorFlow's cropping before.</summary>
    public static (int Length, int Crop) TransposedAxis(int input, int kernel, int stride, Padding padding, int? outputPadding)
    {
        int length = outputPadding is int p
            ? ((input - 1) * stride) + kernel - (2 * (padding == Padding.Same ? kernel / 2 : 0)) + p
            : padding == Padding.Same ? input * stride : (input * stride) + Math.Max(kernel - stride, 0);
        int full = ((input - 1) * stride) + kernel;
        return (length, Math.Max(full - length, 0) / 2);
    }

    /// <summary>
    /// <c>y[b, oy, ox, f] = bias[f] + Σ x[b, oy·sh − top + ky, ox·sw − left + kx, c]·w[ky, kx, c, f]</c>
    /// (zero outside the image).
    /// </summary>
    public static double[] Conv(
        double[] x, int batch, int h, int w, int c, double[] kernel, double[] bias, int f,
        int kh, int kw, int sh, int sw, int top, int left, int ho, int wo)
    {
        var y = new double[batch * ho * wo * f];
        for (int b = 0; b < batch; b++)
        {
            for (int oy = 0; oy < ho; oy++)
            {
                for (int ox = 0; ox < wo; ox++)
                {
                    for (int o = 0; o < f; o++)
                    {
                        double sum = bias[o];
                        for (int ky = 0; ky < kh; ky++)
                        {
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = (oy * sh) - top + ky, ix = (ox * sw) - left + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                                {
                                    continue;
                                }

                                for (int i = 0; i < c; i++)
                                {
                                    sum += x[(((b * h + iy) * w) + ix) * c + i] * kernel[(((ky * kw) + kx) * c + i) * f + o];
                                }
                            }
                        }

                        y[(((b * ho + oy) * wo) + ox) * f + o] = sum;
                    }
                }
            }
        }

        return y;
    }

    /// <summary>The gradients of <see cref="Conv"/> given <c>dZ</c>: <c>dW[ky, kx, c, f]</c>, <c>db[f]</c> and <c>dX</c>.</summary>
    public static (double[] DWeights, double[] DBias, double[] DX) ConvBackward(
        double[] x, int batch, int h, int w, int c, double[] kernel, int f,
        int kh, int kw, int sh, int sw, int top, int left, int ho, int wo, double[] dZ)
    {
        var dW = new double[kh * kw * c * f];
        var db = new double[f];
        var dX = new double[x.Length];
        for (int b = 0; b < batch; b++)
        {
            for (int oy = 0; oy < ho; oy++)
            {
                for (int ox = 0; ox < wo; ox++)
                {
                    for (int o = 0; o < f; o++)
                    {
                        double g = dZ[(((b * ho + oy) * wo) + ox) * f + o];
                        db[o] += g;
                        for (int ky = 0; ky < kh; ky++)
                        {
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = (oy * sh) - top + ky, ix = (ox * sw) - left + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                                {
                                    continue;
                                }

                                for (int i = 0; i < c; i++)
                                {
                                    int xi = (((b * h + iy) * w) + ix) * c + i, wi = (((ky * kw) + kx) * c + i) * f + o;
                                    dW[wi] += x[xi] * g;
                                    dX[xi] += kernel[wi] * g;
                                }
                            }
                        }
                    }
                }
            }
        }

        return (dW, db, dX);
    }

    /// <summary>
    /// A transposed convolution by scattering: every input pixel adds <c>x[b, iy, ix, c]·w[ky, kx, f, c]</c>
    /// to output <c>(iy·sh − cropTop + ky, ix·sw − cropLeft + kx)</c> when that lies in the <c>ho × wo</c> output; plus the bias.
    /// </summary>
    public static double[] Transposed(
        double[] x, int batch, int h, int w, int c, double[] kernel, double[] bias, int f,
        int kh, int kw, int sh, int sw, int cropTop, int cropLeft, int ho, int wo)
    {
        var y = new double[batch * ho * wo * f];
        for (int p = 0; p < batch * ho * wo; p++)
        {
            for (int o = 0; o < f; o++)
            {
                y[p * f + o] = bias[o];
            }
        }

        for (int b = 0; b < batch; b++)
        {
            for (int iy = 0; iy < h; iy++)
            {
                for (int ix = 0; ix < w; ix++)
                {
                    for (int ky = 0; ky < kh; ky++)
                    {
                        for (int kx = 0; kx < kw; kx++)
                        {
                            int oy = (iy * sh) - cropTop + ky, ox = (ix * sw) - cropLeft + kx;
                            if (oy < 0 || oy >= ho || ox < 0 || ox >= wo)
                            {
                                continue;
                            }

                            for (int o = 0; o < f; o++)
                            {
                                for (int i = 0; i < c; i++)
                                {
                                    y[(((b * ho + oy) * wo) + ox) * f + o] += x[(((b * h + iy) * w) + ix) * c + i] * kernel[(((ky * kw) + kx) * f + o) * c + i];
                                }
                            }
                        }
                    }
                }
            }
        }

        return y;
    }

    /// <summary>The gradients of <see cref="Transposed"/> given <c>dZ</c>: <c>dW[ky, kx, f, c]</c>, <c>db[f]</c> and <c>dX</c>.</summary>
    public static (double[] DWeights, double[] DBias, double[] DX) TransposedBackward(
        double[] x, int batch, int h, int w, int c, double[] kernel, int f,
        int kh, int kw, int sh, int sw, int cropTop, int cropLeft, int ho, int wo, double[] dZ)
    {
        var dW = new double[kernel.Length];
        var db = new double[f];
        var dX = new double[x.Length];
        for (int p = 0; p < batch * ho * wo; p++)
        {
            for (int o = 0; o < f; o++)
            {
                db[o] += dZ[p * f + o];
            }
        }

        for (int b = 0; b < batch; b++)
        {
            for (int iy = 0; iy < h; iy++)
            {
                for (int ix = 0; ix < w; ix++)
                {
                    for (int ky = 0; ky < kh; ky++)
                    {
                        for (int kx = 0; kx < kw; kx++)
                        {
                            int oy = (iy * sh) - cropTop + ky, ox = (ix * sw) - cropLeft + kx;
                            if (oy < 0 || oy >= ho || ox < 0 || ox >= wo)
                            {
                                continue;
                            }

                            for (int o = 0; o < f; o++)
                            {
                                double g = dZ[(((b * ho + oy) * wo) + ox) * f + o];
                                for (int i = 0; i < c; i++)
                                {
                                    int xi = (((b * h + iy) * w) + ix) * c + i, wi = (((ky * kw) + kx) * f + o) * c + i;
                                    dW[wi] += x[xi] * g;
                                    dX[xi] += kernel[wi] * g;
                                }
                            }
                        }
                    }
                }
            }
        }

        return (dW, db, dX);
    }

    /// <summary>Asserts <paramref name="actual"/> matches <paramref name="expected"/> within <see cref="Tolerance"/> of the largest expected magnitude (at least 1), printing the first index off.</summary>
    public static void AssertClose(string what, ReadOnlySpan<double> expected, ReadOnlySpan<float> actual)
    {
        Assert.True(expected.Length <= actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        double scale = 1;
        foreach (double e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(actual[i] - expected[i]) <= Tolerance * scale,
                $"{what}[{i}] of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    /// <summary>A training pass over <paramref name="rows"/> samples and an inference pass, run on <paramref name="layer"/>; returns the training output, the saved buffer and the inference output with its pre-activation.</summary>
    public static (float[] Training, float[] Saved, float[] Inference, float[] InferencePre) Forward(Layer layer, float[] parameters, float[] x, int rows)
    {
        var random = new Pcg32(1, 1);
        var saved = new float[layer.SavedCount(rows)];
        var training = new float[rows * layer.OutputSize];
        var pass = new ForwardPass(rows, parameters, [], [], [], ref random);
        layer.Forward(ref pass, x, training, saved);

        var inference = new float[rows * layer.OutputSize];
        var pre = new float[rows * layer.OutputSize];
        var inferencePass = new ForwardPass(rows, parameters, []) { PreActivation = pre };
        layer.Forward(ref inferencePass, x, inference, []);
        return (training, saved, inference, pre);
    }

    /// <summary>Uniform doubles in [−1, 1) rounded to float, reproducible from <paramref name="seed"/>.</summary>
    public static float[] Values(int count, int seed) => TestData.Uniform(count, seed);

    /// <summary>Widens to double.</summary>
    public static double[] Double(ReadOnlySpan<float> values) => values.ToArray().Select(v => (double)v).ToArray();
}
