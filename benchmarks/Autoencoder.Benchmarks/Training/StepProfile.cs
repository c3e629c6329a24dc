using System.Diagnostics;
using System.Globalization;
using Autoencoder.Data;
using Autoencoder.Kernels;
using Autoencoder.Layers;
using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Optimizers;
using Autoencoder.Training;

namespace Autoencoder.Benchmarks.Training;

/// <summary>
/// Time per step of one training step, layer by layer: <c>--step-profile M4 [batch] [steps] [threads]</c>
/// prints, for every layer of the model's pipeline, the mean milliseconds of its forward and
/// backward pass over the timed steps (after at least two seconds of warm-up steps), then the loss and the whole step as
/// <c>Backpropagation.Run</c> takes it. The passes run exactly as a training step runs them. A
/// second table times a trainer's consecutive steps part by part: the batch gathered in shuffled
/// order from a row-major copy of the training images, forward and backward, Adam's update into
/// the second weight buffer, and the swap that makes it the weights.
/// </summary>
internal static class StepProfile
{
    public static void Run(string[] args)
    {
        string name = args.Length > 0 ? args[0] : "M4";
        int batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 128;
        int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40;
        WorkerPool.MaxDegreeOfParallelism = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : Environment.ProcessorCount;

        AutoencoderModel model = ReferenceModels.Build(name);
        Network network = model.Network;
        var workspace = new TrainingWorkspace(network, batch);
        var data = ReferenceModels.TrainingImages();
        for (int r = 0; r < batch; r++)
        {
            for (int c = 0; c < network.InputSize; c++)
            {
                workspace.Input[(r * network.InputSize) + c] = data[r, c];
            }
        }

        var loss = new LossFunction(ReferenceModels.LossOf(name), network.OutputActivation);
        var layers = network.Layers;
        var forward = new double[layers.Count];
        var backward = new double[layers.Count];
        double lossTime = 0, whole = 0;
        // Warm up for at least two seconds, so the timed steps run the JIT's optimised code.
        var warmupClock = Stopwatch.StartNew();
        int warmup = 0;
        while (warmup < 3 || warmupClock.Elapsed.TotalSeconds < 2)
        {
            Profiled(network, workspace, batch, loss, null, null, ref lossTime);
            Backpropagation.Run(network, workspace, batch, loss);
            warmup++;
        }

        for (int step = 0; step < steps; step++)
        {
            Profiled(network, workspace, batch, loss, forward, backward, ref lossTime);
            long start = Stopwatch.GetTimestamp();
            Backpropagation.Run(network, workspace, batch, loss);
            whole += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        // The rest of a trainer's step, as it runs them: the batch gathered from the row-major copy
        // of the data in shuffled order, the forward and backward pass, then Adam's update into
        // the second weight buffer, which becomes the weights (the trainer's swap, so the weights
        // learn). Timed as consecutive steps, so the helpers' polling carries over.
        ContiguousSource source = new MatrixSource(data).ToRowMajor();
        int[] order = Enumerable.Range(0, source.Rows).ToArray();
        new Random(1).Shuffle(order);
        var adam = new Adam(network.Parameters.Length, 1e-3, 0.9, 0.999, 1e-8, 0, decoupledWeightDecay: false);
        var next = new float[network.Parameters.Length];
        double gather = 0, pass = 0, update = 0;
        for (int step = -warmup; step < steps; step++)
        {
            int first = (Math.Max(step, 0) + warmup) * batch % (source.Rows - batch);
            long start = Stopwatch.GetTimestamp();
            source.Gather(order.AsSpan(first, batch), workspace.Input);
            long gathered = Stopwatch.GetTimestamp();
            Backpropagation.Run(network, workspace, batch, loss);
            long passed = Stopwatch.GetTimestamp();
            adam.Step(network.Parameters, next, workspace.Gradients);
            long updated = Stopwatch.GetTimestamp();
            (next, float[] previousState) = network.Store.Swap(next, workspace.NextState);
            workspace.ReuseState(previousState);

            if (step >= 0)
            {
                gather += Stopwatch.GetElapsedTime(start, gathered).TotalMilliseconds;
                pass += Stopwatch.GetElapsedTime(gathered, passed).TotalMilliseconds;
                update += Stopwatch.GetElapsedTime(passed, updated).TotalMilliseconds;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}, batch {batch}, {WorkerPool.MaxDegreeOfParallelism} threads, mean of {steps} steps (ms)"));
        Console.WriteLine("| step | output | forward | backward |");
        Console.WriteLine("|---|---|---:|---:|");
        for (int l = 0; l < layers.Count; l++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {layers[l].Name} ({layers[l].Kind}) | {layers[l].OutputShape} | {forward[l] / steps:F3} | {backward[l] / steps:F3} |"));
        }

        double sum = (forward.Sum() + backward.Sum() + lossTime) / steps;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| loss and its gradient | | {lossTime / steps:F3} | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| sum of the parts | | {sum:F3} | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| whole step (Backpropagation.Run) | | {whole / steps:F3} | {batch * steps / (whole / 1000):F0} samples/s |"));
        Console.WriteLine();
        Console.WriteLine("| a trainer's step, consecutive steps | ms |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| batch gather ({source.Rows:N0} rows, shuffled) | {gather / steps:F3} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| forward and backward | {pass / steps:F3} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Adam ({network.Parameters.Length:N0} parameters) | {update / steps:F3} |"));
        double total = (gather + pass + update) / steps;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| step | {total:F3} ({batch / (total / 1000):F0} samples/s) |"));
    }

    /// <summary><c>Backpropagation.Run</c>'s passes (no noise, no penalties) with each timed into <paramref name="forward"/> and <paramref name="backward"/>.</summary>
    private static void Profiled(Network network, TrainingWorkspace workspace, int rows, LossFunction loss, double[]? forward, double[]? backward, ref double lossTime)
    {
        var layers = network.Layers;
        var random = new Pcg32(0, 0);
        ReadOnlySpan<float> input = workspace.Input.AsSpan(0, rows * network.InputSize);
        network.State.CopyTo(workspace.NextState, 0);
        var pass = new ForwardPass(rows, network.Parameters, network.State, workspace.NextState, workspace.DoubleScratch, ref random);
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < layers.Count; l++)
        {
            Span<float> y = workspace.Outputs[l].AsSpan(0, rows * layers[l].OutputSize);
            long start = Stopwatch.GetTimestamp();
            layers[l].Forward(ref pass, x, y, workspace.Saved[l]);
            Add(forward, l, start);
            x = y;
        }

        long lossStart = Stopwatch.GetTimestamp();
        int outputCount = rows * network.OutputSize;
        ReadOnlySpan<float> output = workspace.Outputs[^1].AsSpan(0, outputCount);
        ReadOnlySpan<float> previous = workspace.Outputs[^2].AsSpan(0, rows * layers[^2].OutputSize);
        ReadOnlySpan<float> logits = layers[^1].PreActivation(previous, output, workspace.Saved[^1])[..outputCount];
        double scale = 1.0 / ((double)rows * network.OutputSize);
        double total = loss.Sum(logits, output, input) * scale;
        float[] dY = workspace.GradientA;
        loss.Gradient(logits, output, input, (float)scale, dY.AsSpan(0, outputCount));
        if (forward is not null)
        {
            lossTime += Stopwatch.GetElapsedTime(lossStart).TotalMilliseconds;
        }

        var back = new BackwardPass(rows, network.Parameters, workspace.Gradients, 1, workspace.DoubleScratch, total) { FromPreActivation = true };
        for (int l = layers.Count - 1; l >= 0; l--)
        {
            Layer layer = layers[l];
            Span<float> dOutput = dY.AsSpan(0, rows * layer.OutputSize);
            ReadOnlySpan<float> y = workspace.Outputs[l].AsSpan(0, rows * layer.OutputSize);
            float[] dX = dY == workspace.GradientA ? workspace.GradientB : workspace.GradientA;
            Span<float> dInput = l == 0 ? default : dX.AsSpan(0, rows * layer.InputSize);
            ReadOnlySpan<float> layerInput = l == 0 ? input : workspace.Outputs[l - 1].AsSpan(0, rows * layers[l - 1].OutputSize);
            long start = Stopwatch.GetTimestamp();
            layer.Backward(ref back, layerInput, y, workspace.Saved[l], dOutput, dInput);
            Add(backward, l, start);
            back.FromPreActivation = false;
            dY = dX;
        }
    }

    private static void Add(double[]? times, int l, long start)
    {
        if (times is not null)
        {
            times[l] += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }
}
