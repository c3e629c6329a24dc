using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>
/// Adds a column of codes made by an already trained <see cref="AutoencoderModel"/>; <see cref="Fit"/>
/// trains nothing, it checks the input's feature column and returns the transformer. Made by
/// <see cref="AutoencoderCatalog.AutoencoderEncode(TransformsCatalog, AutoencoderModel, string, string)"/>.
/// </summary>
public sealed class AutoencoderEncodingEstimator : IEstimator<AutoencoderEncodingTransformer>
{
    private readonly AutoencoderEncodingTransformer _transformer;

    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">A column name is null or empty.</exception>
    internal AutoencoderEncodingEstimator(AutoencoderModel model, string outputColumnName, string inputColumnName) =>
        _transformer = new AutoencoderEncodingTransformer(model, outputColumnName, inputColumnName);

    /// <summary>The model whose encoder makes the codes.</summary>
    public AutoencoderModel Model => _transformer.Model;

    /// <summary>Checks the feature column of <paramref name="input"/> and returns the transformer.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException">The input column is missing, or is not a vector of <see cref="AutoencoderModel.InputSize"/> float32 values.</exception>
    public AutoencoderEncodingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }

    /// <summary>The input's columns with the column of codes (a vector of float32) added.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputSchema"/> is null.</exception>
    /// <exception cref="ArgumentException">The input column is missing or is not a vector of float32 of known size.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        OutputShape.Encoding(inputSchema, _transformer.InputColumnName, _transformer.OutputColumnName, Model.LatentSize);
}
