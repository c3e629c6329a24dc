using System.Diagnostics;
using System.Text.Json;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>
/// Starts this program again as a TorchSharp peer process. LD_PRELOAD only takes effect when a
/// process starts, so the jemalloc measurement needs a process of its own; the glibc one runs in
/// one too, so both see the same conditions and none of libtorch's threads live in the runner.
/// </summary>
internal static class PeerProcess
{
    public static PeerReport Run(BenchmarkOptions options, string worker, IEnumerable<ModelSpec> models, string allocator)
    {
        string resultPath = Path.Combine(Path.GetTempPath(), $"autoencoder-peer-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown."),
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Run through `dotnet app.dll` when started that way, else through the app host directly.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PeerProcess).Assembly.Location);
        }

        foreach (string argument in options.WorkerArguments(worker, models, allocator, resultPath))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("LD_PRELOAD");
        if (allocator == "jemalloc")
        {
            start.Environment["LD_PRELOAD"] = options.JemallocPath;
        }

        string threads = options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OMP_NUM_THREADS"] = threads;
        start.Environment["MKL_NUM_THREADS"] = threads;
        start.Environment.Remove("OMP_WAIT_POLICY");
        if (options.OmpWaitPolicy is { } policy)
        {
            start.Environment["OMP_WAIT_POLICY"] = policy;
        }

        try
        {
            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");

            // The peer logs to standard error; anything libtorch prints on standard output is
            // passed on to standard error too, so standard output keeps only the report.
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    Console.Error.WriteLine($"  [TorchSharp {allocator}] {e.Data}");
                }
            };
            process.BeginOutputReadLine();
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(resultPath))
            {
                throw new InvalidOperationException($"The TorchSharp {allocator} process ({worker}) exited with code {process.ExitCode}; its messages are above.");
            }

            return JsonSerializer.Deserialize<PeerReport>(File.ReadAllText(resultPath))
                ?? throw new InvalidDataException($"{resultPath} holds no report.");
        }
        finally
        {
            File.Delete(resultPath);
        }
    }
}
