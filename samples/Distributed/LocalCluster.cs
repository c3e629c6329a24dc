using System.Diagnostics;

namespace Distributed;

/// <summary>Silo processes of this program on 127.0.0.1, started in order (the first is the primary) and ended with the cluster.</summary>
internal sealed class LocalCluster : IDisposable
{
    private readonly List<Process> _silos = [];

    public LocalCluster(int silos, int basePort)
    {
        BasePort = basePort;
        for (int i = 0; i < silos; i++)
        {
            _silos.Add(StartSilo(i, basePort));
        }
    }

    public int BasePort { get; }

    public IReadOnlyList<int> GatewayPorts => Enumerable.Range(0, _silos.Count).Select(i => BasePort + 100 + i).ToArray();

    /// <summary>Kills silo <paramref name="index"/>'s process at once, as a crash would.</summary>
    public void Kill(int index) => _silos[index].Kill(entireProcessTree: true);

    public void Dispose()
    {
        foreach (Process silo in _silos)
        {
            try
            {
                if (!silo.HasExited)
                {
                    silo.StandardInput.Close();
                    if (!silo.WaitForExit(10_000))
                    {
                        silo.Kill(entireProcessTree: true);
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            silo.Dispose();
        }
    }

    private static Process StartSilo(int index, int basePort)
    {
        string host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(LocalCluster).Assembly.Location);
        }

        start.ArgumentList.Add("silo");
        start.ArgumentList.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(basePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start silo {index}.");
        string? line = process.StandardOutput.ReadLine();
        if (line != "ready")
        {
            throw new InvalidOperationException($"Silo {index} did not start: it printed '{line}'.");
        }

        return process;
    }
}
