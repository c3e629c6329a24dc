using Autoencoder.Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Autoencoder.Orleans.Tests;

/// <summary>Orleans' test cluster of three silos in this process, each able to host training replicas.</summary>
public sealed class ThreeSilos : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<TrainingSilo>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class TrainingSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddAutoencoderTraining();
    }
}

[CollectionDefinition(nameof(ThreeSilos))]
public sealed class ThreeSilosCollection : ICollectionFixture<ThreeSilos>;
