namespace Autoencoder.Tests.Training;

/// <summary>An IProgress that runs the handler on the reporting thread, so tests observe reports in order.</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
