using Autoencoder.Samples;

// Five runnable samples of the Autoencoder library, one subcommand each; `--help` lists them.
// Ctrl+C stops training after the current batch; the sample then reports on the model as it is.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return SamplesApp.Run(args, Console.Out, Console.Error, cancellation.Token);
