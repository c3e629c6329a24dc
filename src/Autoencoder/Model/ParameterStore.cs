namespace Autoencoder.Model;

/// <summary>
/// The two buffers a network's layers carve their slices from, once per model: the trainable
/// parameters (what the optimizer steps, and what a gradient all-reduce would sum) and the state
/// the optimizer never touches (batch normalization's running statistics). Training writes each
/// step's values into second buffers and makes them current with <see cref="Swap"/> only once they
/// are known to be finite, so a failed step leaves the model untouched without a copy. (The two
/// buffers are swapped one after the other: inference must not overlap training, as
/// <c>AutoencoderModel</c> documents.)
/// </summary>
internal sealed class ParameterStore
{
    public ParameterStore(int parameterCount, int stateCount)
    {
        Parameters = new float[parameterCount];
        State = new float[stateCount];
    }

    /// <summary>All trainable values, layer after layer.</summary>
    public float[] Parameters { get; private set; }

    /// <summary>All non-trainable values, layer after layer (empty when no layer keeps state).</summary>
    public float[] State { get; private set; }

    /// <summary>
    /// Makes <paramref name="nextParameters"/> and <paramref name="nextState"/> (as long as the
    /// current buffers) current and hands back the ones they replace, for the next step to write into.
    /// </summary>
    public (float[] Parameters, float[] State) Swap(float[] nextParameters, float[] nextState)
    {
        Check(nextParameters, Parameters.Length, nameof(nextParameters));
        Check(nextState, State.Length, nameof(nextState));
        (Parameters, nextParameters) = (nextParameters, Parameters);
        (State, nextState) = (nextState, State);
        return (nextParameters, nextState);
    }

    private static void Check(float[] next, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(next, name);
        if (next.Length != length)
        {
            throw new ArgumentException(Invariant($"The new buffer must hold {length} values; got {next.Length}."), name);
        }
    }
}
