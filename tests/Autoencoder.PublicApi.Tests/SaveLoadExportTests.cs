using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.PublicApi.Tests;

/// <summary>
/// The README's "Saving, loading and exporting" example, compiled and run. The marked region is
/// the README's block after <c>&lt;!-- save-load-export --&gt;</c>, character for character after
/// removing indentation; a test checks they agree.
/// </summary>
public class SaveLoadExportTests
{
    [Fact]
    public void SaveLoadExport_Runs()
    {
        AutoencoderModel model = new AutoencoderBuilder(inputSize: 6).AddEncoderLayer(4, Activation.Gelu).WithLatent(2).WithSeed(1).Build();

        // save-load-export:begin
        string folder = Directory.CreateTempSubdirectory("autoencoder-").FullName;
        string file = Path.Combine(folder, "model.safetensors");
        model.Save(file);                                   // written beside, flushed, then renamed over the old file
        AutoencoderModel loaded = AutoencoderModel.Load(file);   // throws ModelFormatException naming what is wrong

        model.ExportOnnx(Path.Combine(folder, "autoencoder.onnx"));                  // "input" → "reconstruction"
        model.ExportOnnx(Path.Combine(folder, "encoder.onnx"), OnnxGraph.Encoder);   // "input" → "code"
        model.ExportOnnx(Path.Combine(folder, "decoder.onnx"), OnnxGraph.Decoder);   // "code" → "reconstruction"
        // save-load-export:end

        Matrix<float> x = Matrix<float>.Build.Dense(3, 6, (r, c) => (r + 1) * 0.1f - c * 0.05f);
        Assert.Equal(model.Reconstruct(x).ToColumnMajorArray(), loaded.Reconstruct(x).ToColumnMajorArray());
        Assert.Equal(
            ["autoencoder.onnx", "decoder.onnx", "encoder.onnx", "model.safetensors"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(folder, "*.onnx"), f => Assert.True(new FileInfo(f).Length > 100, $"{f} is nearly empty"));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Readme_SaveLoadExportBlock_IsThisFilesMarkedCode()
    {
        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md")).ReplaceLineEndings("\n");
        const string anchor = "<!-- save-load-export -->";
        int start = readme.IndexOf(anchor, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{anchor}' marker.");
        int open = readme.IndexOf("```csharp\n", start, StringComparison.Ordinal) + "```csharp\n".Length;
        int close = readme.IndexOf("```", open, StringComparison.Ordinal);
        string documented = readme[open..close].TrimEnd();

        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SaveLoadExportTests.cs")).ReplaceLineEndings("\n");
        int begin = source.IndexOf("// save-load-export:begin\n", StringComparison.Ordinal) + "// save-load-export:begin\n".Length;
        int end = source.IndexOf("// save-load-export:end", begin, StringComparison.Ordinal);
        string[] lines = source[begin..end].Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        string marked = string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd();

        Assert.Equal(marked, documented);
    }
}
