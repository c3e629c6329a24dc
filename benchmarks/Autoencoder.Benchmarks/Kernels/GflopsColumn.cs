using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Autoencoder.Benchmarks.Kernels;

/// <summary>GFLOP/s of a <see cref="GemmBenchmarks"/> case: 2·m·n·k over the mean time.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Floating-point operations (2·m·n·k) per nanosecond of mean time";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNanoseconds is not > 0)
        {
            return "NA";
        }

        string[] sides = ((string)benchmarkCase.Parameters["Layer"]).Split('x');
        var gemmCase = new GemmCase(
            (int)benchmarkCase.Parameters["Batch"],
            int.Parse(sides[0], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(sides[1], System.Globalization.CultureInfo.InvariantCulture),
            (GemmProduct)benchmarkCase.Parameters["Product"]);
        return (gemmCase.Flops / meanNanoseconds.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }
}
