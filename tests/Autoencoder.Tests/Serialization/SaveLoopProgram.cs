namespace Autoencoder.Tests.Serialization;

/// <summary>
/// Child-process mode for <see cref="SaveKillTests"/>: saves two different models alternately to
/// one path, forever, printing <see cref="Ready"/> once both have been saved; the test kills the
/// process at a random moment.
/// </summary>
internal static class SaveLoopProgram
{
    public const string Command = "--save-loop";
    public const string Ready = "ready";

    /// <summary>Two models of different shapes, so a mix of their files cannot pass for either.</summary>
    public static AutoencoderModel ModelA() =>
        new AutoencoderBuilder(64).AddEncoderLayer(256, Activation.Relu).WithLatent(32).WithSeed(1).Build();

    public static AutoencoderModel ModelB() =>
        new AutoencoderBuilder(64).AddEncoderLayer(200, Activation.Tanh).WithLatent(40, Activation.Sigmoid).WithSeed(2).Build();

    public static int Run(string path)
    {
        AutoencoderModel[] models = [ModelA(), ModelB()];
        for (long i = 0; ; i++)
        {
            models[i % 2].Save(path);
            if (i == 1)
            {
                Console.WriteLine(Ready);
                Console.Out.Flush();
            }
        }
    }
}
