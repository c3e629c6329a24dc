using BenchmarkDotNet.Attributes;

namespace Autoencoder.Benchmarks.Serialization;

/// <summary>
/// How long, and with how much memory, loading a model file whose header is at the reader's cap
/// takes until it is refused (or, for the <c>max-valid</c> cases and the valid checkpoints, loaded).
/// The budget: under a second and under 256 MiB for every case; <c>checkpoint-history-17-digits</c>
/// and <c>checkpoint-history-subnormal</c> keep the memory budget but take seconds, each of their
/// numbers being checked by a round trip through the runtime's parser and formatter.
/// </summary>
[MemoryDiagnoser]
public class HostileHeaderBenchmarks
{
    private byte[] _file = null!;

    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "max-valid";

    public static IEnumerable<string> Cases => HostileHeaders.Cases;

    [GlobalSetup]
    public void Setup() => _file = HostileHeaders.Build(Case);

    [Benchmark]
    public string Load()
    {
        try
        {
            return HostileHeaders.Load(Case, _file);
        }
        catch (ModelFormatException e)
        {
            return e.Message;
        }
    }
}
