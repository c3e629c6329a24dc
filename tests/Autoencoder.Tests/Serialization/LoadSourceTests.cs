using System.Buffers.Binary;
using System.Diagnostics;
using Autoencoder.Serialization;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// What a load reads: from a stream, never more than the file declares (plus one byte to see that
/// it ends); from a path, only a regular file of a size a model file can have, refusing anything
/// else before reading it, and never blocking on a FIFO.
/// </summary>
public sealed class LoadSourceTests : IDisposable
{
    /// <summary>Far above what a refusal takes; only a blocked open or an endless read reaches it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-sources-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] ModelBytes()
    {
        using var stream = new MemoryStream();
        new AutoencoderBuilder(3).WithLatent(2, Activation.Tanh).WithSeed(1).Build().Save(stream);
        return stream.ToArray();
    }

    /// <summary>A stream that cannot seek, serving <paramref name="prefix"/> then <paramref name="filler"/> bytes forever (or nothing when null), counting what is read.</summary>
    private sealed class EndlessStream(byte[] prefix, byte? filler) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int served = 0;
            while (served < buffer.Length && (BytesRead < prefix.Length || filler is not null))
            {
                buffer[served++] = BytesRead < prefix.Length ? prefix[BytesRead] : filler!.Value;
                BytesRead++;
            }

            return served;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static T WithinPatience<T>(Func<T> load)
    {
        Task<T> task = Task.Run(load);
        Assert.True(task.Wait(Patience) || task.IsCompleted, $"still running after {Patience.TotalSeconds} s");
        return task.Result;
    }

    private static Exception LoadError(Func<object> load)
    {
        Task<object> task = Task.Run(load);
        try
        {
            Assert.True(task.Wait(Patience), $"still running after {Patience.TotalSeconds} s");
        }
        catch (AggregateException e)
        {
            return e.InnerException!;
        }

        Assert.Fail("the load succeeded");
        return null!;
    }

    [Fact]
    public void LoadStream_ValidFileThenEndlessBytes_ReadsOneByteMoreThanTheFileAndRefusesTheRest()
    {
        byte[] file = ModelBytes();
        var stream = new EndlessStream(file, 0);
        var error = Assert.IsType<ModelFormatException>(LoadError(() => AutoencoderModel.Load(stream)));
        Assert.Contains("Data section holds more than", error.Message);
        Assert.Equal(file.Length + 1, stream.BytesRead);
    }

    [Fact]
    public void LoadStream_EndlessZeros_IsRefusedAtTheHeader()
    {
        var stream = new EndlessStream([], 0);
        Assert.IsType<ModelFormatException>(LoadError(() => AutoencoderModel.Load(stream)));
        Assert.Equal(8, stream.BytesRead); // a zero-length header
    }

    [Fact]
    public void LoadStream_HeaderOverTheCap_IsRefusedAfterItsLengthAlone()
    {
        // The cap made small: the refusal reads the 8-byte length and nothing of the header.
        byte[] file = ModelBytes();
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        var stream = new EndlessStream(file, 0);
        var limits = new ModelFileLimits(MaxHeaderBytes: (long)headerLength - 1);
        var error = Assert.IsType<ModelFormatException>(LoadError(() => ModelFile.Read(stream, ModelFileSchema.Core, out _, limits)));
        Assert.Contains("exceeds", error.Message);
        Assert.Equal(8, stream.BytesRead);
        Assert.NotNull(ModelFile.Read(new EndlessStream(file, null), ModelFileSchema.Core, out _, new ModelFileLimits((long)headerLength)));
    }

    [Fact]
    public void LoadStream_DeclaringAHugeModelThenStopping_CostsWhatItSent()
    {
        // An architecture of 2^29 weights (2 GiB) behind a stream that stops after the header:
        // refused once the data runs out, without first allocating the declared size.
        const long Weights = 4L * 16384 * 16384, Bias = 4L * 16384;
        var file = ModelFileBytes.Parse(ModelBytes());
        file.Metadata["input_size"] = "16384";
        file.Metadata["encoder"] = "16384:tanh";
        file.Metadata["decoder"] = "16384:identity";
        long at = 0;
        foreach (string tensor in new[] { "encoder.0.weight", "encoder.0.bias", "decoder.0.weight", "decoder.0.bias" })
        {
            bool weight = tensor.EndsWith("weight", StringComparison.Ordinal);
            file.Header[tensor]!["shape"] = weight ? new System.Text.Json.Nodes.JsonArray(16384, 16384) : new System.Text.Json.Nodes.JsonArray(16384);
            file.Header[tensor]!["data_offsets"] = new System.Text.Json.Nodes.JsonArray(at, at + (weight ? Weights : Bias));
            at += weight ? Weights : Bias;
        }

        file.Data = new byte[1000];
        var stream = new EndlessStream(file.ToBytes(), null);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Read(stream, ModelFileSchema.Core, out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("Data section ends after 1000 bytes", error.Message);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes for a stream of {stream.BytesRead}");
    }

    [Fact]
    public void LoadStream_NotSeekable_ReadsTheSameModel()
    {
        byte[] file = ModelBytes();
        AutoencoderModel expected = AutoencoderModel.Load(new MemoryStream(file));
        var stream = new EndlessStream(file, null);
        AutoencoderModel loaded = AutoencoderModel.Load(stream);
        Assert.Equal(expected.Network.Parameters, loaded.Network.Parameters);
        Assert.Equal(file.Length, stream.BytesRead);
        var truncated = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new EndlessStream(file[..^4], null)));
        Assert.Contains("Data section ends after", truncated.Message);
    }

    public static TheoryData<string> Loaders() => new() { "model", "detector", "checkpoint" };

    private static object Load(string loader, string path) => loader switch
    {
        "model" => AutoencoderModel.Load(path),
        "detector" => AnomalyDetector.Load(path),
        _ => TrainingCheckpoint.Load(path),
    };

    [Theory]
    [MemberData(nameof(Loaders))]
    public void LoadPath_Directory_IsAModelFormatErrorNamingIt(string loader)
    {
        var error = Assert.IsType<ModelFormatException>(LoadError(() => Load(loader, _folder)));
        Assert.Contains($"'{_folder}' is a directory", error.Message);
    }

    [LinuxTheory]
    [MemberData(nameof(Loaders))]
    public void LoadPath_CharacterDevice_IsRefusedWithoutReadingIt(string loader)
    {
        var error = Assert.IsType<ModelFormatException>(LoadError(() => Load(loader, "/dev/zero")));
        Assert.Contains("'/dev/zero' is a character device", error.Message);
    }

    [LinuxTheory]
    [MemberData(nameof(Loaders))]
    public void LoadPath_Fifo_IsRefusedWithoutBlocking(string loader)
    {
        string fifo = Path.Combine(_folder, "model.fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var error = Assert.IsType<ModelFormatException>(LoadError(() => Load(loader, fifo)));
        Assert.Contains("is a FIFO", error.Message);
    }

    [Fact]
    public void LoadPath_SparseFileOver2GiB_IsAModelFormatError()
    {
        // Formerly an IOException from reading it whole; now the header is read from the file.
        string path = Path.Combine(_folder, "large.safetensors");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.SetLength(3L << 30); // sparse: no disk blocks
        }

        var error = Assert.IsType<ModelFormatException>(LoadError(() => AutoencoderModel.Load(path)));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void LoadPath_FileLargerThanAnyModelFile_IsRefusedBeforeReading()
    {
        string path = Path.Combine(_folder, "huge.safetensors");
        long max = ModelFileLimits.Default.MaxFileBytes(ModelFileSchema.Core);
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.SetLength(max + 1);
            stream.Write(ModelBytes()); // a valid start: only the size is wrong
        }

        var error = Assert.IsType<ModelFormatException>(LoadError(() => AutoencoderModel.Load(path)));
        Assert.Contains("more than any model file this reader accepts", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void LoadPath_Missing_IsStillFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => AutoencoderModel.Load(Path.Combine(_folder, "absent", "model.safetensors")));
    }
}

/// <summary>A theory that needs Linux (FIFOs, /dev/zero); reported as skipped, with the reason, elsewhere.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Needs Linux: FIFOs and /dev/zero, and the file-kind check that reads them without opening.";
        }
    }
}
