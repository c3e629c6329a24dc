using System.Diagnostics;
using System.Globalization;
using Autoencoder;
using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

// Trains the 784-128-32 autoencoder on Fashion-MNIST (Debian's dataset-fashion-mnist, or any
// folder of MNIST-style IDX files given with --data), or on the built-in SyntheticShapes images
// when no dataset is installed, then reports the test loss and the compression achieved.

const string DebianFashionMnist = "/usr/share/datasets/fashion-mnist";
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

int epochs = 10;
string? dataFolder = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--help" or "-h":
            Console.WriteLine("""
                Usage: QuickStart [--epochs N] [--data FOLDER]
                  --epochs N       training epochs (default 10)
                  --data FOLDER    folder with train-/t10k-images-idx3-ubyte[.gz] and labels
                                   (default: /usr/share/datasets/fashion-mnist if present,
                                   else the built-in SyntheticShapes images)
                """);
            return 0;
        case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0:
            epochs = n;
            i++;
            break;
        case "--data" when i + 1 < args.Length:
            dataFolder = args[++i];
            break;
        default:
            Console.Error.WriteLine($"error: unexpected argument '{args[i]}' (expected --epochs <positive integer>, --data <folder> or --help)");
            return 2;
    }
}

LabeledImages train, test;
string source;
try
{
    if (dataFolder is null && Directory.Exists(DebianFashionMnist))
    {
        dataFolder = DebianFashionMnist;
    }

    if (dataFolder is not null)
    {
        train = IdxReader.LoadFolder(dataFolder, "train");
        test = IdxReader.LoadFolder(dataFolder, "t10k");
        source = $"IDX files in {dataFolder}";
    }
    else
    {
        train = SyntheticShapes.Generate(count: 20_000, seed: 1);
        test = SyntheticShapes.Generate(count: 4_000, seed: 2);
        source = "built-in SyntheticShapes (install dataset-fashion-mnist for real data)";
    }
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

int inputSize = train.Images.ColumnCount;
Console.WriteLine($"data: {source}");
Console.WriteLine($"      {train.Count:N0} training and {test.Count:N0} test images of {train.Height}x{train.Width}");

AutoencoderModel model = new AutoencoderBuilder(inputSize)
    .AddEncoderLayer(128, Activation.Relu)
    .WithLatent(32, Activation.Relu)
    .WithOutputActivation(Activation.Sigmoid)
    .WithSeed(42)
    .Build();
Console.WriteLine();
Console.Write(model.Summary());
Console.WriteLine();

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop after the current batch and keep the model
    cancellation.Cancel();
};

var progress = new ProgressLine();
TrainingHistory history = model.Fit(
    train.Images,
    new TrainingOptions
    {
        Epochs = epochs,
        BatchSize = 256,
        Loss = Loss.BinaryCrossEntropy,
        Optimizer = new AdamOptions { LearningRate = 1e-3 },
        ValidationFraction = 0.1,
        Progress = progress,
    },
    cancellation.Token);
progress.Finish();
if (history.StopReason == StopReason.Cancelled)
{
    Console.WriteLine($"training cancelled after {history.Epochs.Count} complete epochs; evaluating the model as it is");
}

double testLoss = model.Evaluate(test.Images, Loss.BinaryCrossEntropy);
double baseline = MeanImageLoss(train.Images, test.Images);
double testMse = model.Evaluate(test.Images, Loss.MeanSquaredError);
int codeBytes = model.LatentSize * sizeof(float);
int imageBytes = inputSize * sizeof(float);

Console.WriteLine();
Console.WriteLine($"test loss (binary cross-entropy)   {testLoss:F4}");
Console.WriteLine($"mean-image baseline                {baseline:F4}   (predicting the average training image)");
Console.WriteLine($"test mean squared error            {testMse:F5}");
Console.WriteLine($"compression                        {inputSize} values -> {model.LatentSize} ({imageBytes:N0} B -> {codeBytes} B as float32), ratio {(double)inputSize / model.LatentSize:F1}x");
Console.WriteLine($"training time                      {history.Elapsed.TotalSeconds:F1} s");
return 0;

static double MeanImageLoss(Matrix<float> train, Matrix<float> test)
{
    Vector<float> mean = train.ColumnSums() / train.RowCount;
    double total = 0;
    for (int c = 0; c < test.ColumnCount; c++)
    {
        double p = Math.Clamp(mean[c], 1e-7, 1 - 1e-7);
        for (int r = 0; r < test.RowCount; r++)
        {
            double x = test[r, c];
            total -= x * Math.Log(p) + (1 - x) * Math.Log(1 - p);
        }
    }

    return total / ((double)test.RowCount * test.ColumnCount);
}

/// <summary>
/// One live console line per epoch: a bar, the batch, the running loss, the validation loss,
/// throughput and the time left. Reports arrive on the training thread, so lines never interleave.
/// When the output is redirected only the end-of-epoch lines are written.
/// </summary>
internal sealed class ProgressLine : IProgress<TrainingProgress>
{
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private readonly bool _live = !Console.IsOutputRedirected;
    private int _width;

    public void Report(TrainingProgress p)
    {
        if (!p.EpochCompleted && (!_live || _sinceDraw.ElapsedMilliseconds < 100))
        {
            return;
        }

        _sinceDraw.Restart();
        const int BarWidth = 24;
        int filled = (int)((long)BarWidth * p.Batch / p.Batches);
        string bar = new string('=', filled) + new string(' ', BarWidth - filled);
        string validation = p.ValidationLoss is double v ? $"  val {v:F4}" : string.Empty;
        string text = $"epoch {p.Epoch,3}/{p.Epochs} [{bar}] {p.Batch,4}/{p.Batches}  loss {p.Loss:F4}{validation}  {p.SamplesPerSecond,8:N0} samples/s  ETA {p.EstimatedRemaining:mm\\:ss}";
        if (_live)
        {
            Console.Write("\r" + text.PadRight(_width));
            _width = text.Length;
            if (p.EpochCompleted)
            {
                Console.WriteLine();
                _width = 0;
            }
        }
        else
        {
            Console.WriteLine(text);
        }
    }

    public void Finish()
    {
        if (_live && _width > 0)
        {
            Console.WriteLine();
        }
    }
}
