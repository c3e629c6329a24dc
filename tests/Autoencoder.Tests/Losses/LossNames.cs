namespace Autoencoder.Tests.Losses;

/// <summary>The built-in losses by name, for test data in attributes (which hold only constants).</summary>
internal static class LossNames
{
    public static Loss Get(string name) => name switch
    {
        nameof(Loss.MeanSquaredError) => Loss.MeanSquaredError,
        nameof(Loss.BinaryCrossEntropy) => Loss.BinaryCrossEntropy,
        nameof(Loss.MeanAbsoluteError) => Loss.MeanAbsoluteError,
        _ when name.StartsWith("Huber", StringComparison.Ordinal) => Loss.Huber(double.Parse(name[6..^1], System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), $"No built-in loss is called {name}."),
    };
}
