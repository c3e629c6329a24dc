using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>
/// Adds a column of codes: for each row, <see cref="AutoencoderModel.Encode(ReadOnlySpan{float}, Span{float})"/>
/// of its feature vector, a vector of <see cref="AutoencoderModel.LatentSize"/> float32 values,
/// computed as a cursor reaches the row. The features are used as given: normalize them in the
/// pipeline as they were when the model was trained.
/// </summary>
/// <remarks>
/// ML.NET's model zip cannot hold transformers from other assemblies: use <see cref="Save(string)"/>
/// and <see cref="Load(MLContext, string)"/>, or export the encoder to ONNX (see the package README).
/// </remarks>
public sealed class AutoencoderEncodingTransformer : ITransformer
{
    internal const string Kind = nameof(AutoencoderEncodingTransformer);
    private readonly EncodingMapping _mapping;

    /// <summary>A transformer that encodes the column <paramref name="inputColumnName"/> with <paramref name="model"/> into <paramref name="outputColumnName"/>.</summary>
    /// <param name="model">A trained model; used, not copied.</param>
    /// <param name="outputColumnName">The column of codes added.</param>
    /// <param name="inputColumnName">The input column: a vector of <see cref="AutoencoderModel.InputSize"/> float32 values.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A column name is empty.</exception>
    public AutoencoderEncodingTransformer(
        AutoencoderModel model,
        string outputColumnName = AutoencoderCatalog.DefaultCodeColumnName,
        string inputColumnName = AutoencoderCatalog.DefaultFeatureColumnName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        Model = model;
        _mapping = new EncodingMapping(model, inputColumnName, outputColumnName);
    }

    /// <summary>The model whose encoder makes the codes.</summary>
    public AutoencoderModel Model { get; }

    /// <summary>The input column encoded.</summary>
    public string InputColumnName => _mapping.FeatureColumnName;

    /// <summary>The column of codes added.</summary>
    public string OutputColumnName => _mapping.Added[0].Name;

    /// <summary>True: ML.NET's prediction engine can encode single rows with it.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input's columns followed by the column of codes (a vector of <see cref="AutoencoderModel.LatentSize"/> float32 values).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputSchema"/> is null.</exception>
    /// <exception cref="ArgumentException">The input column is missing, or is not a vector of <see cref="AutoencoderModel.InputSize"/> float32 values.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _mapping.OutputSchema(inputSchema, nameof(inputSchema));

    /// <summary>The mapping of one row to its encoded row (used by ML.NET's prediction engine).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputSchema"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="GetOutputSchema"/>.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new MappedRowMapper(inputSchema, _mapping);

    /// <summary>The input with the column of codes added, computed lazily as cursors read it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="GetOutputSchema"/>.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, _mapping);
    }

    /// <summary>Writes the transformer to <paramref name="path"/>: a zip archive with the column names and the model's own file (<see cref="AutoencoderModel.Save(Stream)"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) =>
        TransformerFile.Save(path, Kind, new Dictionary<string, string>
        {
            ["input"] = InputColumnName,
            ["output"] = OutputColumnName,
        }, Model.Save);

    /// <summary>Reads a transformer written by <see cref="Save(string)"/>; it encodes exactly as the saved one.</summary>
    /// <param name="mlContext">The ML.NET context the transformer is used in.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentNullException"><paramref name="mlContext"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not an encoding transformer's file.</exception>
    /// <exception cref="ModelFormatException">The model inside it is not valid.</exception>
    public static AutoencoderEncodingTransformer Load(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return TransformerFile.Load(path, Kind, (columns, model) => new AutoencoderEncodingTransformer(
            AutoencoderModel.Load(model),
            TransformerFile.Column(columns, "output", path),
            TransformerFile.Column(columns, "input", path)));
    }

    /// <summary>Not supported: ML.NET's model files can hold only ML.NET's own transformers. Use <see cref="Save(string)"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        Invariant($"ML.NET's model zip cannot hold a {Kind}; save it with {Kind}.Save(path) and read it with {Kind}.Load(mlContext, path), or export the encoder to ONNX and use ApplyOnnxModel."));
}
