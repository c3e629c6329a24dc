using System.Reflection;
using Autoencoder.Data;

namespace Autoencoder.Parquet.Tests;

/// <summary>
/// Calls a block source's protected <c>RowsInBlock</c> and <c>ReadBlock</c>, as the library's readers
/// do, so a test can check one row group's values directly rather than through a trained model.
/// </summary>
internal static class Blocks
{
    private delegate void ReadBlockCall(int block, Span<float> destination);

    public static int Rows(BlockDataSource source, int block) =>
        Method("RowsInBlock").CreateDelegate<Func<int, int>>(source)(block);

    /// <summary>The values of block <paramref name="block"/>, row-major.</summary>
    public static float[] Read(BlockDataSource source, int block)
    {
        var values = new float[Rows(source, block) * source.Columns];
        Method("ReadBlock").CreateDelegate<ReadBlockCall>(source)(block, values);
        return values;
    }

    private static MethodInfo Method(string name) =>
        typeof(BlockDataSource).GetMethod(name, BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingMethodException(nameof(BlockDataSource), name);
}
