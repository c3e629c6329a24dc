using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Autoencoder.Orleans;

/// <summary>
/// Places a grain on the silo its key names: the last <c>|</c>-separated part of the key is the
/// silo's address (<see cref="SiloAddress.ToParsableString"/>), so the coordinator decides where
/// every replica and the exchange run, one replica per silo.
/// </summary>
[GenerateSerializer]
[Immutable]
[SuppressReferenceTracking]
internal sealed class ExplicitSiloPlacement : PlacementStrategy
{
    /// <summary>The one instance the attribute and the director share.</summary>
    public static ExplicitSiloPlacement Instance { get; } = new();

    /// <summary>The key of a grain of run <paramref name="run"/> named <paramref name="name"/> on <paramref name="silo"/>.</summary>
    public static string Key(string run, string name, SiloAddress silo) => Invariant($"{run}|{name}|{silo.ToParsableString()}");
}

/// <summary>Marks a grain class as placed by <see cref="ExplicitSiloPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class ExplicitSiloPlacementAttribute : PlacementAttribute
{
    public ExplicitSiloPlacementAttribute()
        : base(ExplicitSiloPlacement.Instance)
    {
    }
}

/// <summary>Chooses the silo named in the grain's key, and refuses to place it anywhere else.</summary>
internal sealed class ExplicitSiloPlacementDirector : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString() ?? "";
        string wanted = key[(key.LastIndexOf('|') + 1)..];
        foreach (SiloAddress silo in context.GetCompatibleSilos(target))
        {
            if (silo.ToParsableString() == wanted)
            {
                return Task.FromResult(silo);
            }
        }

        throw new OrleansException(Invariant($"The grain {key} is to run on silo {wanted}, which is not an active silo that hosts it."));
    }
}
