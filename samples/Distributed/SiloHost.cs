using System.Net;
using Autoencoder.Orleans;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Distributed;

/// <summary>
/// One silo of the local cluster: localhost clustering, the first silo's endpoint as the primary,
/// the library's training placement, and membership tuned to name a dead silo within seconds.
/// In production the same silo uses a real clustering provider (ADO.NET, Azure tables, Redis,
/// Kubernetes) instead of <c>UseLocalhostClustering</c>.
/// </summary>
internal static class SiloHost
{
    /// <summary>Silo <paramref name="index"/> listens on <c>basePort + index</c>, its gateway on <c>basePort + 100 + index</c>.</summary>
    public static int Run(int index, int basePort)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(basePort + index, basePort + 100 + index, new IPEndPoint(IPAddress.Loopback, basePort))
            .Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            })
            .AddAutoencoderTraining());
        using IHost host = builder.Build();
        host.Start();
        Console.WriteLine("ready");

        // The parent ends the silo by closing its input (or by killing the process).
        while (Console.In.ReadLine() is not null)
        {
        }

        host.StopAsync().GetAwaiter().GetResult();
        return 0;
    }
}
