using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Autoencoder.Training;

/// <summary>
/// SHA-256 fingerprints of what a run's trajectory depends on besides its state: the options that
/// shape it and the data. A checkpoint keeps both, so a resume with anything else is refused.
/// </summary>
internal static class RunFingerprint
{
    /// <summary>SHA-256 of the options that shape a run's trajectory (not Epochs, Progress, Callbacks, the gradient reducer or checkpoint settings; the batch slices only when there are several, so earlier checkpoints keep their fingerprints).</summary>
    public static string Options(TrainingOptions o)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture; // records print their numbers with the current culture
        try
        {
            string text = string.Join(
                "\n",
                Invariant($"batch_size={o.BatchSize}"),
                Invariant($"loss={o.Loss}"),
                Invariant($"optimizer={o.Optimizer}"),
                Invariant($"shuffle={o.Shuffle}"),
                Invariant($"seed={o.Seed}"),
                Invariant($"validation_fraction={o.ValidationFraction:R}"),
                Invariant($"validation_data={o.ValidationData is not null}"),
                Invariant($"corruption={o.Corruption}"),
                Invariant($"schedule={o.LearningRateSchedule}"),
                Invariant($"early_stopping={o.EarlyStopping}"),
                Invariant($"clip={o.GradientClipNorm:R}"),
                Invariant($"kl_weight={o.KlWeight:R}"),
                Invariant($"kl_warm_up={o.KlWarmUpEpochs}"));
            if (o.BatchSlices != 1)
            {
                text += Invariant($"\nbatch_slices={o.BatchSlices}");
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    /// <summary>SHA-256 of the row-major training data followed by the validation data, if any.</summary>
    public static string Data(float[] all, float[]? validation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(all.AsSpan()));
        hash.AppendData(BitConverter.GetBytes(validation?.Length ?? -1));
        if (validation is not null)
        {
            hash.AppendData(MemoryMarshal.AsBytes(validation.AsSpan()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
