using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Autoencoder.Orleans.Tests;

/// <summary>
/// Three silo processes on 127.0.0.1 (the Distributed sample's silo host) and a client in this
/// process: one silo's process is killed during an epoch, membership declares it dead, and the run
/// ends with the same bits as the thread reference of three replicas to the checkpoint and two from it.
/// </summary>
public class SeparateProcessTests
{
    private const int BasePort = 31300;

    [Fact]
    public async Task ASiloProcessKilledDuringAnEpoch_TheRunContinuesOnTheOtherProcesses()
    {
        var silos = new List<Process>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                silos.Add(StartSilo(i));
            }

            HostApplicationBuilder builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.UseOrleansClient(c => c.UseLocalhostClustering([BasePort + 100, BasePort + 101, BasePort + 102]));
            using IHost host = builder.Build();
            await host.StartAsync();
            var client = host.Services.GetRequiredService<IClusterClient>();
            var clock = Stopwatch.StartNew();
            while ((await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count < 3)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the three silo processes did not form a cluster within 60 s");
                await Task.Delay(100);
            }

            // Kill the process of the silo with the highest port (silo 2) in the second epoch.
            bool killed = false;
            var progress = new FaultToleranceTests.Watcher(p =>
            {
                if (!killed && p.Epoch == 2 && p.Batch >= 5)
                {
                    killed = true;
                    silos[2].Kill(entireProcessTree: true);
                }
            });
            var distributed = new DistributedOptions { CheckpointEveryBatches = 4, Progress = progress, PollInterval = TimeSpan.FromMilliseconds(5) };
            DistributedTrainingResult result = await new DistributedTrainer(client)
                .FitAsync(FaultToleranceTests.Model(), DistributedSource.FromMatrix(FaultToleranceTests.Data), FaultToleranceTests.Options, distributed)
                .WaitAsync(TimeSpan.FromMinutes(4));

            Assert.True(killed, "the run ended before a silo was killed");
            DistributedEvent lost = Assert.Single(result.Events);
            Assert.Single(lost.LostSilos);
            Assert.StartsWith($"127.0.0.1:{BasePort + 2}@", lost.LostSilos[0]);
            Assert.Equal(2, result.Replicas.Count);
            Assert.Equal(8, result.History.Epochs.Count);
            Assert.Equal(FaultToleranceTests.File(FaultToleranceTests.Reference(lost)), FaultToleranceTests.File(result.Model));
            await host.StopAsync();
        }
        finally
        {
            foreach (Process silo in silos)
            {
                if (!silo.HasExited)
                {
                    silo.Kill(entireProcessTree: true);
                }

                silo.Dispose();
            }
        }
    }

    private static Process StartSilo(int index)
    {
        // tests/Autoencoder.Orleans.Tests/bin/<configuration>/net10.0/ → samples/Distributed/bin/<configuration>/net10.0/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = output.Parent!.Name;
        string root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string sample = Path.Combine(root, "samples", "Distributed", "bin", configuration, "net10.0", "Distributed.dll");
        Assert.True(File.Exists(sample), $"{sample} is missing: build the solution first");
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in new[] { "exec", sample, "silo", index.ToString(System.Globalization.CultureInfo.InvariantCulture), BasePort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        Assert.Equal("ready", process.StandardOutput.ReadLine());
        return process;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
