using System.Diagnostics;
using System.Globalization;
using Autoencoder.Activations;
using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Benchmarks.Training;

/// <summary>
/// Time of each layer's inference pass: <c>--inference-profile M1 [rows] [calls]</c> scores
/// <c>rows</c> uniform samples (default 8,192) in the blocks <c>Reconstruct(span)</c> uses, times
/// each layer's forward pass over all blocks (into a fresh output array, as the public call writes
/// the caller's), the input's finiteness check and the whole <c>Reconstruct(ReadOnlySpan, rows, Span)</c>
/// call, and prints the means over <c>calls</c> timed calls (default 40) after at least 20 untimed ones and two seconds.
/// </summary>
internal static class InferenceProfile
{
    public static void Run(string[] args)
    {
        string name = args.Length > 0 ? args[0] : "M1";
        int rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8192;
        int calls = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40;
        const int warmup = 20;
        AutoencoderModel model = ReferenceModels.Build(name);
        Network network = model.Network;
        int width = network.InputSize, block = network.InferenceBlockRows;
        var random = new Random(1);
        var x = new float[rows * width];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle();
        }

        var y = new float[rows * network.OutputSize];
        var layers = network.Layers;
        var times = new double[layers.Count];
        var current = new float[block * network.MaxWidth];
        var next = new float[block * network.MaxWidth];
        double finite = 0, whole = 0;
        var warmupClock = Stopwatch.StartNew();
        int untimed = 0;
        for (int call = 0; call < untimed + calls; call++)
        {
            // Untimed calls until at least 20 and two seconds, so the timed ones run the JIT's optimised code.
            bool timed = untimed >= warmup && warmupClock.Elapsed.TotalSeconds >= 2;
            untimed += timed ? 0 : 1;
            long start = Stopwatch.GetTimestamp();
            bool allFinite = Autoencoder.Kernels.Finite.All(x);
            finite += timed ? Stopwatch.GetElapsedTime(start).TotalMilliseconds : 0;
            if (!allFinite)
            {
                throw new InvalidOperationException("The generated samples must be finite.");
            }

            for (int first = 0; first < rows; first += block)
            {
                int count = Math.Min(block, rows - first);
                ReadOnlySpan<float> input = x.AsSpan(first * width, count * width);
                using var awake = network.AwakeFor(count); // as the public call keeps the helpers awake
                for (int l = 0; l < layers.Count; l++)
                {
                    bool last = l == layers.Count - 1;
                    var pass = new ForwardPass(count, network.Parameters, network.State);
                    Span<float> output = last ? y.AsSpan(first * network.OutputSize, count * network.OutputSize) : current.AsSpan(0, count * layers[l].OutputSize);
                    if (last && layers[l].WritesPreActivation)
                    {
                        pass.PreActivation = current.AsSpan(0, count * layers[l].OutputSize); // as the public call does
                    }

                    long layerStart = Stopwatch.GetTimestamp();
                    layers[l].Forward(ref pass, input, output, default);
                    times[l] += timed ? Stopwatch.GetElapsedTime(layerStart).TotalMilliseconds : 0;
                    if (!last)
                    {
                        input = output;
                        (current, next) = (next, current);
                    }
                }
            }

            start = Stopwatch.GetTimestamp();
            model.Reconstruct(x, rows, y);
            whole += timed ? Stopwatch.GetElapsedTime(start).TotalMilliseconds : 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}, {rows} rows in blocks of {block}, {Environment.ProcessorCount} threads, mean of {calls} calls (ms)"));
        Console.WriteLine("| step | output | ms |");
        Console.WriteLine("|---|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| finiteness check of the input | | {finite / calls:F4} |"));
        for (int l = 0; l < layers.Count; l++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {layers[l].Name} ({layers[l].Kind}, {ActivationName(layers[l])}) | {layers[l].OutputShape} | {times[l] / calls:F4} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| whole Reconstruct(span) | | {whole / calls:F4} ({rows / (whole / calls / 1000):N0} rows/s) |"));
    }

    private static string ActivationName(Layer layer) => ActivationFunctions.Name(layer.OutputActivation);
}
