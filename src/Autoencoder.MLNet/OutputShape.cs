using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>
/// The schema shapes the estimators promise. A <see cref="SchemaShape.Column"/> cannot be made
/// outside ML.NET, so the added columns come from the shape of a custom mapping whose output class
/// declares them (renamed and sized by a <see cref="SchemaDefinition"/>); that mapping is never run.
/// </summary>
internal static class OutputShape
{
    /// <summary>The input's columns with <c>Score</c> (float32) and <c>PredictedLabel</c> (boolean) under the names given.</summary>
    /// <exception cref="ArgumentException">The feature column is missing or is not a vector of float32 of known size.</exception>
    public static SchemaShape Anomaly(SchemaShape input, string featureColumnName, string scoreColumnName, string predictedLabelColumnName)
    {
        CheckFeatures(input, featureColumnName);
        SchemaDefinition output = SchemaDefinition.Create(typeof(AnomalyColumns));
        output[nameof(AnomalyColumns.Score)].ColumnName = scoreColumnName;
        output[nameof(AnomalyColumns.PredictedLabel)].ColumnName = predictedLabelColumnName;
        return Added<AnomalyColumns>(input, output);
    }

    /// <summary>The input's columns with a vector of <paramref name="latentSize"/> float32 values named <paramref name="outputColumnName"/>.</summary>
    /// <exception cref="ArgumentException">The input column is missing or is not a vector of float32 of known size.</exception>
    public static SchemaShape Encoding(SchemaShape input, string inputColumnName, string outputColumnName, int latentSize)
    {
        CheckFeatures(input, inputColumnName);
        SchemaDefinition output = SchemaDefinition.Create(typeof(CodeColumn));
        output[nameof(CodeColumn.Code)].ColumnName = outputColumnName;
        output[nameof(CodeColumn.Code)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, latentSize);
        return Added<CodeColumn>(input, output);
    }

    private static SchemaShape Added<TOutput>(SchemaShape input, SchemaDefinition output)
        where TOutput : class, new() =>
        new MLContext(seed: 0).Transforms
            .CustomMapping<NoColumns, TOutput>(static (_, _) => { }, contractName: null, outputSchemaDefinition: output)
            .GetOutputSchema(input);

    private static void CheckFeatures(SchemaShape input, string name)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaShape.Column[] found = [.. input.Where(c => c.Name == name)];
        if (found.Length == 0)
        {
            string columns = string.Join(", ", input.Select(c => Invariant($"'{c.Name}'")));
            throw new ArgumentException(
                Invariant($"the data must have a feature column '{name}' (a vector of float32 of known size); its columns are {columns}."), nameof(input));
        }

        SchemaShape.Column column = found[^1];
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException(
                Invariant($"column '{name}' must be a vector of float32 (Single) of known size; got a {column.Kind} of {column.ItemType}."), nameof(input));
        }
    }

    private sealed class NoColumns
    {
    }

    private sealed class AnomalyColumns
    {
        public float Score { get; set; }

        public bool PredictedLabel { get; set; }
    }

    private sealed class CodeColumn
    {
        public float[] Code { get; set; } = [];
    }
}
