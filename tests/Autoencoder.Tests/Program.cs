using Autoencoder.Tests.Kernels;
using Autoencoder.Tests.Serialization;
using Autoencoder.Tests.Training;

namespace Autoencoder.Tests;

/// <summary>
/// Entry point for child processes started by tests (the test host itself never runs it):
/// <c>--gemm-probe</c> reports which GEMM path this process's runtime switches select and
/// checks it against the reference; <c>kernel-paths</c> runs every element-wise kernel check on
/// the vector width the runtime switches leave; <c>kernel-bits</c> prints the hashes of every
/// kernel's outputs on fixed inputs; <c>--save-loop PATH</c> saves two models to PATH
/// alternately until killed; <c>--checkpoint-crash PATH SCENARIO N</c> trains with checkpoints
/// and exits abruptly after N batches; <c>training-hashes</c> trains a fixed set of models and prints
/// the hashes of their weights and losses; <c>--train-file PATH stream|memory</c> trains one epoch on an IDX file.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args switch
    {
        ["--gemm-probe"] => GemmPathProbe.Run(),
        [KernelPathsProgram.Command] => KernelPathsProgram.Run(),
        [KernelBits.Command] => KernelBits.Run(),
        [SaveLoopProgram.Command, string path] => SaveLoopProgram.Run(path),
        [TrainingHashesProgram.Command] => TrainingHashesProgram.Run(),
        [Data.FileTrainingProgram.Command, string path, string mode] => Data.FileTrainingProgram.Run(path, mode),
        [CheckpointRunProgram.Command, string path, string scenario, string batches] => CheckpointRunProgram.Run(path, scenario, int.Parse(batches, System.Globalization.CultureInfo.InvariantCulture)),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine($"usage: dotnet Autoencoder.Tests.dll --gemm-probe | {KernelPathsProgram.Command} | {KernelBits.Command} | {SaveLoopProgram.Command} PATH | {CheckpointRunProgram.Command} PATH SCENARIO N | {TrainingHashesProgram.Command} | {Data.FileTrainingProgram.Command} PATH stream|memory");
        return 2;
    }
}
