using System.Diagnostics;
using Autoencoder.Serialization;
using Xunit.Abstractions;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// A process saving to a path is killed (SIGKILL on Unix) at random moments: the file at the path
/// must always load as one of the two models being saved, never a torn mix, and the next save
/// removes the temporary files the killed saves left.
/// </summary>
public sealed class SaveKillTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 30;

    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-kill-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task KillDuringSave_FileIsAlwaysOneWholeModel_AndOrphansAreCleanedOnNextSave()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        AutoencoderModel a = SaveLoopProgram.ModelA(), b = SaveLoopProgram.ModelB();
        var random = new Random(31); // fixed: kill delays are reproducible
        int loadedA = 0, loadedB = 0, leftovers = 0;
        for (int kill = 0; kill < Kills; kill++)
        {
            var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(SaveLoopProgram).Assembly.Location);
            start.ArgumentList.Add(SaveLoopProgram.Command);
            start.ArgumentList.Add(path);
            using Process child = Process.Start(start)!;
            Task<string> error = child.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                string? line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                Assert.True(line == SaveLoopProgram.Ready, $"child said '{line}' instead of '{SaveLoopProgram.Ready}'; stderr: {(child.HasExited ? await error : "")}");
            }

            await Task.Delay(random.Next(0, 60));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();

            AutoencoderModel loaded = AutoencoderModel.Load(path);
            if (loaded.Layers.SequenceEqual(a.Layers) && loaded.Network.Parameters.AsSpan().SequenceEqual(a.Network.Parameters))
            {
                loadedA++;
            }
            else
            {
                Assert.Equal(b.Layers, loaded.Layers);
                Assert.True(loaded.Network.Parameters.AsSpan().SequenceEqual(b.Network.Parameters), $"kill {kill}: the file loads but is neither model");
                loadedB++;
            }

            leftovers += AtomicFile.TemporaryFiles(_folder, "model.safetensors").Length;
        }

        a.Save(path);
        string[] remaining = AtomicFile.TemporaryFiles(_folder, "model.safetensors");
        output.WriteLine($"{Kills} kills: the file was model A {loadedA} times and model B {loadedB} times; {leftovers} temporary files seen after kills (summed over kills), {remaining.Length} after the next save.");
        Assert.Empty(remaining);
        Assert.True(loadedA > 0 && loadedB > 0, $"the kills never landed on both models ({loadedA} A, {loadedB} B), so the test did not exercise alternating saves");
    }

    /// <summary>The <c>dotnet</c> host running the tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    internal static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
}
