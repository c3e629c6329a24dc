using System.Diagnostics;
using System.Text;

namespace Autoencoder.Aot.Tests;

/// <summary>
/// tests/Autoencoder.Aot.App published with Native AOT against the library this project built, in a
/// temporary folder outside the repository, then run as a native executable: trimming and AOT
/// compilation must report nothing, and every file path of the library must work without
/// reflection-based serialization.
/// </summary>
public sealed class NativeAotAppTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("autoencoder-aot-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void PublishedNativeApp_TrainsSavesLoadsScoresCheckpointsAndExports()
    {
        Toolchain.RequireNativeLinker();
        string app = Path.Combine(_root, "app");
        string output = Path.Combine(_root, "out");
        WriteApp(app);

        string publish = Run("dotnet", ["publish", "-c", "Release", "-r", "linux-x64", "-o", output], app, TimeSpan.FromMinutes(4));
        Assert.DoesNotMatch(@"warning (IL|CS)\d{4}", publish);

        string executable = Path.Combine(output, "AotApp");
        Assert.True(File.Exists(executable), $"no native executable at {executable}:{Environment.NewLine}{publish}");
        Assert.False(File.Exists(Path.Combine(output, "Autoencoder.dll")), "the published app still carries the library as IL: it was not compiled ahead of time");

        string files = Path.Combine(_root, "files");
        string run = Run(executable, ["check", files], _root, TimeSpan.FromMinutes(1));
        Assert.Contains("ok: trained 2 epochs", run);
        Assert.Contains("ok: saved and loaded the model, 64 reconstruction errors identical", run);
        Assert.Contains("ok: saved and loaded the detector", run);
        Assert.Contains("ok: wrote a checkpoint after 2 epochs and resumed to epoch 3, as an uninterrupted run", run);
        Assert.Contains("ok: exported ONNX", run);
        Assert.Contains("ok: a loss of your own that overrides Accepts refuses the row it does not accept", run);
        Assert.EndsWith("done", run.TrimEnd());

        // The native app's files are the library's files: this (JIT) process reads them.
        AutoencoderModel model = AutoencoderModel.Load(Path.Combine(files, "model.safetensors"));
        Assert.Equal(784, model.InputSize);
        Assert.Equal(8, model.LatentSize);
        Assert.NotNull(AnomalyDetector.Load(Path.Combine(files, "detector.safetensors")).Threshold);
        Assert.Equal(3, TrainingCheckpoint.Load(Path.Combine(files, "run.checkpoint")).History.Count);
    }

    /// <summary>
    /// A project outside the repository (no build file above it is read) that references the built
    /// Autoencoder.dll and the library's packages at the repository's versions, with warnings as errors
    /// and every trim warning reported on its own.
    /// </summary>
    private static void WriteApp(string app)
    {
        Directory.CreateDirectory(app);
        string sources = Path.Combine(AppContext.BaseDirectory, "App");
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />\n");
        File.Copy(Path.Combine(sources, "Directory.Packages.props"), Path.Combine(app, "Directory.Packages.props"));
        File.Copy(Path.Combine(sources, "Program.cs"), Path.Combine(app, "Program.cs"));
        string library = Path.Combine(AppContext.BaseDirectory, "Autoencoder.dll");
        File.WriteAllText(Path.Combine(app, "AotApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
                <PublishAot>true</PublishAot>
                <InvariantGlobalization>true</InvariantGlobalization>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <TrimmerSingleWarn>false</TrimmerSingleWarn>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="Autoencoder" HintPath="{library}" />
                <PackageReference Include="MathNet.Numerics" />
                <PackageReference Include="System.Numerics.Tensors" />
                <PackageReference Include="Sep" />
              </ItemGroup>
            </Project>
            """);
    }

    /// <summary>Runs a command, failing with its output if it does not exit with 0 within <paramref name="timeout"/>.</summary>
    private static string Run(string command, string[] arguments, string workingDirectory, TimeSpan timeout)
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(command == "dotnet" ? host : command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild settings must not leak into a separate build.
        foreach (string variable in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{command} {string.Join(' ', arguments)}' did not finish within {timeout}:{Environment.NewLine}{output}");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"'{command} {string.Join(' ', arguments)}' exited with {process.ExitCode}:{Environment.NewLine}{output}");
        return output.ToString();
    }
}
