namespace Autoencoder.Tests.Data;

/// <summary>
/// Training from a file needs memory for a batch, not for the file: a child process limited to a
/// 48 MiB managed heap trains on a 125 MB file streamed, and fails when it loads the file first.
/// </summary>
public class BoundedMemoryTests : IDisposable
{
    private const int Rows = 40_000, Columns = 784;
    private const string HeapLimit = "0x3000000"; // 48 MiB

    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-bounded-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Fit_OnAFileLargerThanTheHeapLimit_TrainsStreamed_ButNotLoaded()
    {
        var values = new float[Rows * Columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (i * 7919L % 256) / 255f;
        }

        string path = IdxFloatFile.Write(Path.Combine(_folder, "large.idx"), values, Rows, Columns);
        values = [];
        Assert.True(new FileInfo(path).Length > 0x3000000 * 2L, "the file is more than twice the heap limit");
        var environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = HeapLimit };

        ChildProcess.Result streamed = await ChildProcess.RunAsync([FileTrainingProgram.Command, path, "stream"], environment, TimeSpan.FromMinutes(3));
        Assert.True(streamed.ExitCode == 0, streamed.ToString());
        Assert.Matches(@"^loss 0\.\d+ validation 0\.\d+ ", streamed.Output);

        ChildProcess.Result loaded = await ChildProcess.RunAsync([FileTrainingProgram.Command, path, "memory"], environment, TimeSpan.FromMinutes(3));
        Assert.NotEqual(0, loaded.ExitCode);
        Assert.Contains("Out of memory", loaded.Error);
    }
}
