using System.Reflection;
using System.Runtime.InteropServices;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>What the figures were measured on.</summary>
internal static partial class Machine
{
    public static string CpuModel()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static string CpuFlags()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            if (line is null)
            {
                return "unknown";
            }

            string[] flags = line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] interesting = ["avx", "avx2", "fma", "avx512f", "avx512_bf16", "amx_tile"];
            return string.Join(' ', interesting.Where(flags.Contains));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static string Memory()
    {
        try
        {
            string? line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out long kib))
            {
                return $"{kib / 1024.0 / 1024.0:F1} GiB";
            }
        }
        catch (IOException)
        {
        }

        return "unknown";
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

    /// <summary>The 1-minute load average, or 0 when unknown.</summary>
    public static double LoadOneMinute() =>
        double.TryParse(LoadAverage().Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double load) ? load : 0;

    /// <summary>Minor page faults of this process so far (field 10 of /proc/self/stat), or null when unknown.</summary>
    public static long? MinorFaults()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.TryParse(fields[7], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long faults) ? faults : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string GlibcVersion()
    {
        try
        {
            return Marshal.PtrToStringUTF8(GnuGetLibcVersion()) ?? "unknown";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "unknown";
        }
    }

    public static string TorchSharpVersion() =>
        typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    [LibraryImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static partial IntPtr GnuGetLibcVersion();
}
