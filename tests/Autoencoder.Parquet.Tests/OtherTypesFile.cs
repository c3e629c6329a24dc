using Parquet;
using Parquet.Schema;

namespace Autoencoder.Parquet.Tests;

/// <summary>
/// A one-row-group file of two rows with a column of every numeric type the source reads, among
/// columns it never reads (bool, date, string); optionally a double beyond float32's range.
/// </summary>
internal static class OtherTypesFile
{
    public static readonly string[] NumericColumns = ["sbyte", "short", "byte", "ushort", "uint", "ulong", "decimal", "double"];

    /// <summary>The two rows as the source reads them, row-major in <see cref="NumericColumns"/>' order.</summary>
    public static readonly float[] Expected =
    [
        -128, -32768, 255, 65535, 4294967295f, 18446744073709551615f, 1.25f, 0.5f,
        7, 12345, 0, 1, 16777216, 16777217f, -3.5f, 0.1f,
    ];

    public static string Write(string path, bool huge) => WriteAsync(path, huge).GetAwaiter().GetResult();

    private static async Task<string> WriteAsync(string path, bool huge)
    {
        var flag = new DataField<bool>("flag");
        var sbyteField = new DataField<sbyte>("sbyte");
        var shortField = new DataField<short>("short");
        var date = new DataField<DateTime>("date");
        var byteField = new DataField<byte>("byte");
        var ushortField = new DataField<ushort>("ushort");
        var uintField = new DataField<uint>("uint");
        var ulongField = new DataField<ulong>("ulong");
        var decimalField = new DecimalDataField("decimal", precision: 10, scale: 2);
        var name = new DataField<string>("name");
        var doubleField = new DataField<double>("double");
        var schema = new ParquetSchema(flag, sbyteField, shortField, date, byteField, ushortField, uintField, ulongField, decimalField, name, doubleField);
        await using FileStream stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream);
        using ParquetRowGroupWriter group = writer.CreateRowGroup();
        await group.WriteAsync<bool>(flag, new[] { true, false });
        await group.WriteAsync<sbyte>(sbyteField, new sbyte[] { -128, 7 });
        await group.WriteAsync<short>(shortField, new short[] { -32768, 12345 });
        await group.WriteAsync<DateTime>(date, new[] { new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 3, 4, 0, 0, 0, DateTimeKind.Utc) });
        await group.WriteAsync<byte>(byteField, new byte[] { 255, 0 });
        await group.WriteAsync<ushort>(ushortField, new ushort[] { 65535, 1 });
        await group.WriteAsync<uint>(uintField, new uint[] { uint.MaxValue, 16777216 });
        await group.WriteAsync<ulong>(ulongField, new ulong[] { ulong.MaxValue, 16777217 });
        await group.WriteAsync<decimal>(decimalField, new[] { 1.25m, -3.5m });
        await group.WriteAsync(name, new[] { "first", "second" });
        await group.WriteAsync<double>(doubleField, new[] { 0.5, huge ? 1e300 : 0.1 });
        return path;
    }
}
