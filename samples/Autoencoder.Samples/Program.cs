using Autoencoder.Samples;

// Five runnable samples of the Autoencoder library, one subcommand each; `--help` lists them.
return SamplesApp.Run(args, Console.Out, Console.Error);
