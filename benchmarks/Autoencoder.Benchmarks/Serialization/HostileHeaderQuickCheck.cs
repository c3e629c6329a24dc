using System.Diagnostics;
using System.Globalization;

namespace Autoencoder.Benchmarks.Serialization;

/// <summary>
/// One timed load per hostile header (<c>--hostile-headers [case…]</c>): wall time, bytes allocated
/// during the load, and the process's peak working set, with the outcome. Run one case per process
/// for a peak that belongs to that case alone.
/// </summary>
public static class HostileHeaderQuickCheck
{
    public static void Run(string[] args)
    {
        string[] cases = args.Length > 0 ? args : HostileHeaders.Cases;
        foreach (string name in cases)
        {
            byte[] file = HostileHeaders.Build(name);
            Measure(name, " (1st)", file);
            Measure(name, " (2nd)", file);
        }
    }

    /// <summary>One load: the first in a process includes compiling the reader, as a program's first load does.</summary>
    private static void Measure(string name, string run, byte[] file)
    {
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            long baseline = Environment.WorkingSet;
            var clock = Stopwatch.StartNew();
            string outcome;
            try
            {
                outcome = "loaded, " + HostileHeaders.Load(name, file);
            }
            catch (ModelFormatException e)
            {
                outcome = "refused: " + (e.Message.Length > 100 ? e.Message[..100] + "…" : e.Message);
            }

            clock.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            using var process = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name + run,-26} file {file.Length / 1048576.0,7:F1} MiB  {clock.Elapsed.TotalMilliseconds,8:F0} ms  allocated {allocated / 1048576.0,7:F1} MiB  peak working set {process.PeakWorkingSet64 / 1048576.0,7:F1} MiB (before the load {baseline / 1048576.0:F1})  {outcome}"));
        }
    }
}
