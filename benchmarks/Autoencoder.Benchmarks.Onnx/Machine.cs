using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>What the figures were measured on.</summary>
internal static class Machine
{
    public static string CpuModel() => CpuInfoField("model name") ?? "unknown";

    /// <summary>Whether /proc/cpuinfo lists <paramref name="flag"/>; null when unknown.</summary>
    public static bool? HasCpuFlag(string flag)
    {
        string? flags = CpuInfoField("flags");
        return flags?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(flag);
    }

    public static string DotNetVersion() => RuntimeInformation.FrameworkDescription;

    public static string OnnxRuntimeVersion()
    {
        string native = OrtEnv.Instance().GetVersionString();
        string? managed = typeof(InferenceSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        return managed is null || managed == native ? native : $"{native} (managed {managed})";
    }

    /// <summary>The 1-, 5- and 15-minute load averages, e.g. "0.12 0.30 0.25".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? CpuInfoField(string name)
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(':', StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "unknown" };
}
