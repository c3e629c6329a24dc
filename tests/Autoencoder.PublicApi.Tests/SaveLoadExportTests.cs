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
    public void Readme_SaveLoadExportBlock_IsThisFilesMarkedCode() =>
        Assert.Equal(ReadmeBlocks.Marked("SaveLoadExportTests.cs", "save-load-export"), ReadmeBlocks.Documented("save-load-export"));
}
