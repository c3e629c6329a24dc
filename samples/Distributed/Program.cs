using System.Diagnostics;
using System.Globalization;
using Autoencoder;
using Autoencoder.Data;
using Autoencoder.Orleans;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Distributed;

/// <summary>
/// Trains one autoencoder across a local Orleans cluster: starts silo processes of this program on
/// 127.0.0.1, connects a client, trains the same model with 1, 2, … replicas (one per silo) on the
/// library's generated images, and prints samples per second, each step's compute and exchange
/// time and the bytes a replica exchanges per step (<c>--averaging H</c>: model averaging every H
/// steps instead of summing every step's gradients). <c>--kill-one</c> kills the last silo during the
/// last run: the run continues from its newest checkpoint on the silos left and says so.
/// </summary>
public static class Program
{
    /// <summary>Runs the sample, or with <c>silo INDEX BASE_PORT</c> one silo of its cluster.</summary>
    /// <param name="args"><c>[--silos N] [--rows N] [--epochs N] [--model M1|M2|M3] [--port P] [--kill-one]</c>, or <c>silo INDEX BASE_PORT</c>.</param>
    /// <returns>0 when the runs completed.</returns>
    public static async Task<int> Main(string[] args)
    {
        if (args is ["silo", string index, string basePort])
        {
            return SiloHost.Run(int.Parse(index, CultureInfo.InvariantCulture), int.Parse(basePort, CultureInfo.InvariantCulture));
        }

        int silos = Option(args, "--silos", 3), rows = Option(args, "--rows", 6000), epochs = Option(args, "--epochs", 2), port = Option(args, "--port", 30000);
        string model = args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() ?? "M2";
        bool killOne = args.Contains("--kill-one");
        int averaging = Option(args, "--averaging", 0);

        LabeledImages images = SyntheticShapes.Generate(rows + (rows / 10), seed: 1);
        Matrix<float> train = images.Images.SubMatrix(0, rows, 0, images.Images.ColumnCount);
        Matrix<float> test = images.Images.SubMatrix(rows, rows / 10, 0, images.Images.ColumnCount);
        var options = new TrainingOptions { Epochs = epochs, BatchSize = 256, Loss = model == "M3" ? Loss.MeanSquaredError : Loss.BinaryCrossEntropy, Seed = 7 };
        Console.WriteLine(Invariant($"{model}: {train.RowCount} generated 28x28 images to train on, {test.RowCount} to test, {epochs} epochs at batch 256, {Environment.ProcessorCount} cores"));

        var local = Stopwatch.StartNew();
        AutoencoderModel alone = Build(model);
        alone.Fit(train, options);
        local.Stop();
        Console.WriteLine(Invariant($"in this process, no cluster: {train.RowCount * epochs / local.Elapsed.TotalSeconds,8:F0} samples/s, test loss {alone.Evaluate(test, options.Loss):F4}"));

        using var cluster = new LocalCluster(silos, port);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(cluster.GatewayPorts.ToArray()));
        using IHost host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IClusterClient>();
        await WaitForSilos(grains, silos);
        Console.WriteLine(Invariant($"cluster: {silos} silo processes on 127.0.0.1 (ports {port}..{port + silos - 1}), {(averaging > 0 ? $"model averaging every {averaging} steps" : "synchronous gradients")}"));
        Console.WriteLine("replicas  samples/s  steps  compute ms/step  exchange ms/step  MB/step/replica  test loss");

        var trainer = new DistributedTrainer(grains);
        DistributedSource source = DistributedSource.FromMatrix(train);
        for (int workers = 1; workers <= silos; workers++)
        {
            bool kill = killOne && workers == silos;
            bool killed = false;
            var distributed = new DistributedOptions
            {
                Workers = workers,
                CheckpointEveryBatches = 5,
                Mode = averaging > 0 ? DistributedMode.ModelAveraging : DistributedMode.Synchronous,
                AveragingInterval = Math.Max(averaging, 1),
                Progress = new ProgressAction(p =>
                {
                    if (kill && !killed && p.Steps >= 8)
                    {
                        killed = true;
                        cluster.Kill(silos - 1);
                        Console.WriteLine(Invariant($"  killed silo {silos - 1}'s process after step {p.Steps} (epoch {p.Epoch}, batch {p.Batch})"));
                    }
                }),
            };
            var clock = Stopwatch.StartNew();
            DistributedTrainingResult result = await trainer.FitAsync(Build(model), source, options, distributed);
            clock.Stop();
            ReplicaReport lead = result.Replicas[0];
            double compute = (lead.Elapsed - lead.ExchangeTime).TotalMilliseconds / lead.Steps;
            double exchange = lead.ExchangeTime.TotalMilliseconds / lead.Steps;
            double megabytes = lead.BytesExchanged / (double)lead.Steps / 1e6;
            Console.WriteLine(Invariant($"{result.Replicas.Count,8}  {train.RowCount * epochs / clock.Elapsed.TotalSeconds,9:F0}  {lead.Steps,5}  {compute,15:F2}  {exchange,16:F2}  {megabytes,15:F3}  {result.Model.Evaluate(test, options.Loss),9:F4}"));
            foreach (DistributedEvent e in result.Events)
            {
                Console.WriteLine("  " + e.Message);
            }
        }

        await host.StopAsync();
        return 0;
    }

    private static AutoencoderModel Build(string model) => model switch
    {
        "M1" => new AutoencoderBuilder(784).WithLatent(32, Activation.Relu).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build(),
        "M3" => new AutoencoderBuilder(784).AddEncoderLayer(1000).AddEncoderLayer(500).AddEncoderLayer(250).WithLatent(30)
            .AddDecoderLayer(250).AddDecoderLayer(500).AddDecoderLayer(1000).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build(),
        _ => new AutoencoderBuilder(784).AddEncoderLayer(128).AddEncoderLayer(64).WithLatent(32, Activation.Relu)
            .AddDecoderLayer(64).AddDecoderLayer(128).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build(),
    };

    private static async Task WaitForSilos(IClusterClient grains, int silos)
    {
        var clock = Stopwatch.StartNew();
        while ((await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count < silos)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException(Invariant($"{silos} silos did not join the cluster within 60 s."));
            }

            await Task.Delay(100);
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class ProgressAction(Action<DistributedProgress> report) : IProgress<DistributedProgress>
    {
        public void Report(DistributedProgress value) => report(value);
    }
}
