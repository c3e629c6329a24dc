using Orleans.Hosting;

namespace Autoencoder.Orleans;

/// <summary>What a silo needs to host distributed training.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Lets this silo host training replicas of <see cref="DistributedTrainer"/>: registers the
    /// placement that puts each replica on the silo the coordinator chose. Call it on every silo.
    /// </summary>
    /// <param name="builder">The silo's builder.</param>
    /// <returns>The same builder.</returns>
    public static ISiloBuilder AddAutoencoderTraining(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddPlacementDirector<ExplicitSiloPlacement, ExplicitSiloPlacementDirector>();
    }
}
