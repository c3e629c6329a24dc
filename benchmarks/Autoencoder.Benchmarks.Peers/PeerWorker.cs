using System.Text.Json;
using Autoencoder;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>
/// The TorchSharp side, run in its own process so the allocator (glibc or a preloaded jemalloc)
/// is fixed from the start and libtorch's threads never share a process with our timings.
/// Progress goes to standard error; the results go to a JSON file for the runner.
/// </summary>
internal static class PeerWorker
{
    public static int Run(BenchmarkOptions options)
    {
        TorchSide.SetThreads(options.Threads);
        torch.manual_seed(OurSide.Seed);
        void Log(string line) => Console.Error.WriteLine($"  [TorchSharp {options.Allocator}] {line}");

        (Matrix<float> images, _) = BenchmarkData.Load(options);
        ParityResult? parity = null;
        var models = new List<SideResult>();
        if (options.Worker == "parity")
        {
            parity = ParityCheck.Run(images, options.BatchSize, options.Models[0], options.ParitySteps);
        }
        else
        {
            using Tensor data = TorchSide.ToTensor(images);
            float[][] latencySamples = OurSide.LatencySamples(images);
            foreach (ModelSpec spec in options.Models)
            {
                models.Add(Measure(spec, data, latencySamples, options, Log));
            }
        }

        var report = new PeerReport(
            options.Allocator,
            AllocatorLoaded(options.Allocator),
            LibTorchVersion(),
            torch.get_num_threads(),
            torch.get_num_interop_threads(),
            models,
            parity);
        File.WriteAllText(options.ResultPath ?? throw new ArgumentException("--result is required for a peer process."), JsonSerializer.Serialize(report));
        return 0;
    }

    private static SideResult Measure(ModelSpec spec, Tensor data, float[][] latencySamples, BenchmarkOptions options, Action<string> log)
    {
        // Start from the same initial weights as ours, so both sides train the same function.
        using var stream = new MemoryStream();
        spec.BuildOurs(OurSide.Seed).Save(stream);
        using var peer = new TorchSide(spec);
        peer.LoadWeights(SafetensorsFile.Read(stream.ToArray()));

        if (options.WarmupBatches > 0)
        {
            using optim.Optimizer warmup = peer.CreateOptimizer();
            var (seconds, _) = peer.Train(warmup, data, options.BatchSize, 1, options.WarmupBatches, null)[0];
            log($"{spec.Name}: warm-up {Math.Min((long)options.WarmupBatches * options.BatchSize, data.shape[0])} samples in {seconds:F1} s");
        }

        // A fresh optimizer for the timed epochs, as our Fit starts one.
        using optim.Optimizer optimizer = peer.CreateOptimizer();
        long? faultsBefore = Machine.MinorFaults();
        var epochs = peer.Train(optimizer, data, options.BatchSize, options.Epochs, null, line => log($"{spec.Name}: {line}"));
        long? faults = Machine.MinorFaults() - faultsBefore;
        var training = new TrainingResult(epochs.Select(e => e.Seconds).ToArray(), (int)data.shape[0], epochs[^1].Loss, faults / epochs.Count);
        log($"{spec.Name}: {training.SamplesPerSecond:F0} samples/s, loss {training.FinalLoss:F5}");

        LatencyResult? latency = null;
        if (options.LatencyModels.Contains(spec.Name, StringComparer.OrdinalIgnoreCase))
        {
            latency = peer.MeasureLatency(latencySamples, options);
            log($"{spec.Name}: reconstruct one sample, median {latency.MedianMicroseconds:F1} µs");
        }

        return new SideResult(spec.Name, training, latency);
    }

    /// <summary>Whether the named allocator is really mapped into this process (a preload can fail silently).</summary>
    private static bool AllocatorLoaded(string allocator) =>
        allocator != "jemalloc" || File.ReadAllText("/proc/self/maps").Contains("libjemalloc", StringComparison.Ordinal);

    private static string LibTorchVersion()
    {
        try
        {
            return torch.__version__;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return "unknown";
        }
    }
}
