using System.Buffers;
using Autoencoder.Activations;
using Autoencoder.Kernels;
using Autoencoder.Layers;

namespace Autoencoder.Model;

/// <summary>
/// Inference on feature-major blocks: a block of samples whose feature i's values lie together, as
/// in a MathNet matrix's column-major storage, runs through the layers in that layout (each dense
/// layer computes <c>Zᵀ = Wᵀ·Xᵀ + b·1ᵀ</c>, each activation runs element-wise) and its output is
/// written feature-major too, so a matrix call needs no transpose on the way in or out.
/// </summary>
internal sealed partial class Network
{
    /// <summary>
    /// Whether layers <c>[first, end)</c> can run feature-major (<see cref="RunFeatureMajor"/>): every
    /// layer that computes at inference is a plain or tied dense layer with more than one unit (not a
    /// variational head; a one-unit layer's transposed product has one row, which the product may
    /// chain over all of its depth instead of by depth blocks), a batch normalization of vectors or an activation.
    /// </summary>
    public bool RunsFeatureMajor(int first, int end)
    {
        for (int l = first; l < end; l++)
        {
            Layer layer = Layers[l];
            bool supported = layer.IdentityAtInference
                || layer is ActivationLayer
                || layer is BatchNormLayer { PixelsPerSample: 1 }
                || (layer is DenseLayer dense and not GaussianHeadLayer && dense.Outputs > 1);
            if (!supported)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Runs layers <c>[first, end)</c> at inference on <paramref name="rows"/> (2 to
    /// <see cref="InferenceBlockRows"/>) samples stored feature-major in <paramref name="x"/>
    /// (feature i's values at <c>x[i·xStride, i·xStride + rows)</c>) and writes the output
    /// feature-major into <paramref name="destination"/> (unit j's values at
    /// <c>destination[j·stride, j·stride + rows)</c>). When <paramref name="lastLogits"/> is not
    /// empty it also receives the last layer's pre-activation, unit j's at <c>[j·rows, (j + 1)·rows)</c>.
    /// Every value has the bits <see cref="Run"/> gives it on the same samples row-major. Only for
    /// passes <see cref="RunsFeatureMajor"/> accepts. Scratch memory is borrowed per call, so any
    /// number of threads may run at once.
    /// </summary>
    public void RunFeatureMajor(int first, int end, ReadOnlySpan<float> x, int xStride, int rows, Span<float> destination, int stride, Span<float> lastLogits = default)
    {
        if (!RunsFeatureMajor(first, end))
        {
            throw new InvalidOperationException(Invariant($"Layers [{first}, {end}) include a layer that cannot run feature-major."));
        }

        if (rows < 2 || rows > InferenceBlockRows)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows), Invariant($"A feature-major pass runs 2 to {InferenceBlockRows} rows for this network; got {rows}."));
        }

        StridedRuns.Require(nameof(x), x.Length, Layers[first].InputSize, rows, xStride);
        StridedRuns.Require(nameof(destination), destination.Length, Layers[end - 1].OutputSize, rows, stride);
        if (!lastLogits.IsEmpty)
        {
            StridedRuns.Require(nameof(lastLogits), lastLogits.Length, Layers[end - 1].OutputSize, rows, rows);
        }

        float[] parameters = Parameters, state = State;
        int last = LastComputing(first, end);
        if (last < first)
        {
            for (int i = 0; i < Layers[end - 1].OutputSize; i++)
            {
                x.Slice(i * xStride, rows).CopyTo(destination.Slice(i * stride, rows));
                if (!lastLogits.IsEmpty)
                {
                    x.Slice(i * xStride, rows).CopyTo(lastLogits.Slice(i * rows, rows));
                }
            }

            return;
        }

        ArrayPool<float> arrays = Scratch.Floats;
        float[] free = arrays.Rent(rows * MaxWidth);
        float[] other = arrays.Rent(rows * MaxWidth);
        try
        {
            ReadOnlySpan<float> input = x;
            int inputStride = xStride;
            for (int l = first; l <= last; l++)
            {
                Layer layer = Layers[l];
                if (layer.IdentityAtInference)
                {
                    continue;
                }

                // Every layer but the last writes a block of its own in scratch; the last writes the destination.
                bool isLast = l == last;
                Span<float> output = isLast ? destination : free.AsSpan(0, rows * layer.OutputSize);
                int outputStride = isLast ? stride : rows;
                bool logits = isLast && !lastLogits.IsEmpty;
                switch (layer)
                {
                    case DenseLayer dense:
                        // The product goes to scratch (in cache), or the caller's logits, and its activation from there to the output.
                        Span<float> z = (logits ? lastLogits : free.AsSpan())[..(rows * dense.Outputs)];
                        dense.ForwardFeatureMajor(parameters, input, inputStride, rows, z);
                        Activate(dense.Activation, z, rows, rows, dense.Outputs, output, outputStride);
                        break;
                    case BatchNormLayer norm:
                        norm.ForwardFeatureMajor(parameters, state, input, inputStride, rows, output, outputStride);
                        if (logits)
                        {
                            Copy(output, outputStride, rows, norm.Features, lastLogits); // no activation: the output is the pre-activation
                        }

                        break;
                    default:
                        if (logits)
                        {
                            Copy(input, inputStride, rows, layer.OutputSize, lastLogits);
                        }

                        Activate(((ActivationLayer)layer).Activation, input, inputStride, rows, layer.OutputSize, output, outputStride);
                        break;
                }

                input = output;
                inputStride = outputStride;
                (free, other) = (other, free);
            }
        }
        finally
        {
            arrays.Return(free);
            arrays.Return(other);
        }
    }

    /// <summary>
    /// <paramref name="activation"/> of <paramref name="units"/> runs of <paramref name="rows"/> values, run j at
    /// <c>source[j·sourceStride]</c> into <c>destination[j·stride]</c>: in one call where both are
    /// one contiguous block (in place included), else run by run.
    /// </summary>
    private static void Activate(Activation activation, ReadOnlySpan<float> source, int sourceStride, int rows, int units, Span<float> destination, int stride)
    {
        if (sourceStride == rows && stride == rows)
        {
            ActivationFunctions.Forward(activation, source[..(rows * units)], destination[..(rows * units)]);
            return;
        }

        for (int j = 0; j < units; j++)
        {
            ActivationFunctions.Forward(activation, source.Slice(j * sourceStride, rows), destination.Slice(j * stride, rows));
        }
    }

    /// <summary>Copies <paramref name="units"/> runs of <paramref name="rows"/> values at <paramref name="sourceStride"/> into one contiguous block.</summary>
    private static void Copy(ReadOnlySpan<float> source, int sourceStride, int rows, int units, Span<float> destination)
    {
        for (int j = 0; j < units; j++)
        {
            source.Slice(j * sourceStride, rows).CopyTo(destination.Slice(j * rows, rows));
        }
    }
}
