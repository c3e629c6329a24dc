namespace Autoencoder.Tests.Serialization;

/// <summary>
/// Child process of <see cref="CheckpointTests"/>: trains <see cref="CheckpointTests.Scenario"/>
/// with a checkpoint after every batch and ends the process abruptly (exit code 3, no cleanup)
/// right after batch <c>N</c> of the run, as a crash would.
/// </summary>
internal static class CheckpointRunProgram
{
    public const string Command = "--checkpoint-crash";

    public static int Run(string path, string scenario, int crashAfterBatches)
    {
        var (model, x, options) = CheckpointTests.Scenario(scenario);
        model.Fit(x, options with { CheckpointPath = path, CheckpointEveryBatches = 1, Callbacks = [new Crash(crashAfterBatches)] });
        return 0; // not reached when the crash batch comes before the end
    }

    private sealed class Crash(int afterBatches) : ITrainingCallback
    {
        private int _batches;

        public void OnBatchEnd(TrainingProgress progress, TrainingControl control)
        {
            // The checkpoint of this batch is written after the callbacks, so crash at the next one.
            if (++_batches == afterBatches + 1)
            {
                Environment.Exit(3);
            }
        }
    }
}
