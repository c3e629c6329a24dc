namespace Autoencoder.Model;

/// <summary>A float32 tensor of a <see cref="NamedState"/>: its shape and its values in row-major order.</summary>
/// <param name="Shape">The dimensions, outermost first; their product is the length of <paramref name="Values"/>.</param>
/// <param name="Values">The values; a writer may pass its live buffer, which is read when the state is stored.</param>
internal sealed record StateTensor(int[] Shape, float[] Values);
