using System.Globalization;
using System.Text;
using Autoencoder.Training;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// A checkpoint's history read from its UTF-8 text: the epochs the writer recorded come back
/// exactly, by index and in order, and a history no run could write is refused at its first
/// problem, in the same words whatever the entry.
/// </summary>
public sealed class CheckpointHistoryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-history-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Epochs as a run records them: 17-digit losses, validation on some, durations, decaying rates.</summary>
    private static EpochResult[] Epochs(int count)
    {
        var random = new Random(3);
        return Enumerable.Range(1, count).Select(e => new EpochResult(
            e,
            random.NextDouble() * Math.Pow(10, random.Next(-12, 4)),
            e % 3 == 0 ? null : random.NextDouble(),
            TimeSpan.FromTicks(random.NextInt64(0, long.MaxValue)),
            0.001 * Math.Pow(0.5, e / 10))).ToArray();
    }

    /// <summary>The history text the checkpoint writer makes of <paramref name="epochs"/>.</summary>
    private static byte[] Text(IEnumerable<EpochResult> epochs) => Encoding.UTF8.GetBytes(string.Join(";", epochs.Select(e =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Epoch}:{Number(e.TrainLoss)}:{(e.ValidationLoss is double v ? Number(v) : "-")}:{e.Duration.Ticks}:{Number(e.LearningRate)}"))));

    [Fact]
    public void Read_WritersText_GivesTheEpochsBackByIndexAndInOrder()
    {
        EpochResult[] epochs = Epochs(300); // several blocks of recorded entry starts
        CheckpointHistory history = CheckpointHistory.Read(Text(epochs), epoch: 301);

        Assert.Equal(300, history.Count);
        Assert.Equal(epochs, history);
        Assert.Equal(epochs.Reverse(), Enumerable.Range(0, 300).Reverse().Select(i => history[i]));
        Assert.Throws<ArgumentOutOfRangeException>(() => history[300]);
        Assert.Throws<ArgumentOutOfRangeException>(() => history[-1]);
    }

    [Fact]
    public void Read_NoEpochsCompleted_IsEmpty() => Assert.Empty(CheckpointHistory.Read(Array.Empty<byte>(), epoch: 1));

    public static TheoryData<string, int, string> Problems() => new()
    {
        { "", 2, "Metadata 'history' must hold one entry per completed epoch, 1 before epoch 2; it holds 0." },
        { "1:0:-:0:0;2:0:-:0:0", 2, "Metadata 'history' must hold one entry per completed epoch, 1 before epoch 2; it holds 2." },
        { "1:0:-:0", 2, "Metadata 'history' must hold epoch:train:validation:ticks:rate entries; got '1:0:-:0'." },
        { "1:0:-:0:0:0", 2, "Metadata 'history' must hold epoch:train:validation:ticks:rate entries; got '1:0:-:0:0:0'." },
        { "1:0:-:0:0;", 3, "Metadata 'history' must hold epoch:train:validation:ticks:rate entries; got ''." },
        { "2:0:-:0:0", 2, "Metadata 'history' must list epochs 1 to 1 in order; entry 1 is epoch 2." },
        { "1:0:-:0:0;1:0:-:0:0", 3, "Metadata 'history' must list epochs 1 to 2 in order; entry 2 is epoch 1." },
        { "01:0:-:0:0", 2, "Metadata 'history' must hold an integer of at least 1 in canonical form; got '01'." },
        { "0:0:-:0:0", 2, "Metadata 'history' must hold an integer of at least 1 in canonical form; got '0'." },
        { "1:0.10:-:0:0", 2, "Metadata 'history' must hold numbers in canonical form; got '0.10'." },
        { "1:0:x:0:0", 2, "Metadata 'history' must hold numbers in canonical form; got 'x'." },
        { "1:0:-:0:NaN", 2, "Metadata 'history' must hold numbers in canonical form; got 'NaN'." },
        { "1:Infinity:-:0:0", 2, "Metadata 'history' must hold numbers in canonical form; got 'Infinity'." },
        { "1:0:-:0:0;2:0:-:0:00", 3, "Metadata 'history' must hold numbers in canonical form; got '00'." },
        { "1:0:-:-1:0", 2, "Metadata 'history' must hold a non-negative integer in canonical form; got '-1'." },
        { "1:0:-:9223372036854775808:0", 2, "Metadata 'history' must hold a non-negative integer in canonical form; got '9223372036854775808'." },
        { "1:0:-:0:0.1000000000000000055511151231257827", 2, "Metadata 'history' must hold numbers in canonical form; got '0.1000000000000000055511151231257827'." },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Read_HistoryNoRunCouldWrite_IsRefusedAtItsFirstProblem(string text, int epoch, string message)
    {
        var error = Assert.Throws<ModelFormatException>(() => CheckpointHistory.Read(Encoding.UTF8.GetBytes(text), epoch));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Load_HistoryWithEscapedText_ReadsTheUnescapedEntries()
    {
        // The JSON writer escapes '+', so an exponent in the history makes the value an escaped string.
        string path = Path.Combine(_folder, "run.ckpt");
        new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build().Fit(TestData.Matrix(20, 4, seed: 1), new TrainingOptions { Epochs = 2, CheckpointPath = path });
        var file = ModelFileBytes.Parse(File.ReadAllBytes(path));
        string[] entries = file.Metadata["history"]!.GetValue<string>().Split(';');
        string[] fields = entries[0].Split(':');
        fields[1] = "1.2345E+300";
        entries[0] = string.Join(':', fields);
        file.Metadata["history"] = string.Join(';', entries);
        byte[] bytes = file.ToBytes();
        Assert.Contains("\\u002B", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        File.WriteAllBytes(path, bytes);

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        Assert.Equal(1.2345E+300, checkpoint.History[0].TrainLoss);
        Assert.Equal([1, 2], checkpoint.History.Select(e => e.Epoch));
    }

    [Fact]
    public void Resume_TakesTheHistoryReadFromTheFile()
    {
        string path = Path.Combine(_folder, "run.ckpt");
        var x = TestData.Matrix(20, 4, seed: 1);
        var options = new TrainingOptions { Epochs = 2, Seed = 1, CheckpointPath = path };
        new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build().Fit(x, options);
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);

        TrainingHistory resumed = checkpoint.Resume(x, options with { Epochs = 3 });
        Assert.Equal(checkpoint.History, resumed.Epochs.Take(2));
        Assert.Equal([1, 2, 3], resumed.Epochs.Select(e => e.Epoch));
    }
}
