using Parquet.Schema;

namespace Autoencoder.Parquet;

/// <summary>Chooses a Parquet file's feature columns from its schema and the options.</summary>
internal static class ColumnSelection
{
    /// <summary>The feature columns of <paramref name="schema"/> that <paramref name="options"/> asks for, in the order of a row's values.</summary>
    /// <exception cref="ArgumentException">A name the schema lacks, a non-numeric column, the label among the features, or no feature at all; the parameter is <c>options</c>.</exception>
    public static FeatureColumn[] Select(ParquetSchema schema, ParquetSourceOptions options, string path)
    {
        Field[] fields = [.. schema.Fields];
        string[] numeric = [.. fields.Where(FeatureColumn.IsNumeric).Select(f => f.Name)];
        string available = numeric.Length == 0 ? "none" : string.Join(", ", numeric.Select(Quote));
        Field? Find(string name) => fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));

        if (options.LabelColumn is string label)
        {
            if (Find(label) is null)
            {
                throw new ArgumentException(
                    Invariant($"LabelColumn '{label}' is not a top-level column of Parquet file '{path}'; its columns are {string.Join(", ", fields.Select(f => Quote(f.Name)))}."),
                    nameof(options));
            }

            if (options.Columns?.Contains(label, StringComparer.Ordinal) == true)
            {
                throw new ArgumentException(Invariant($"Column '{label}' is the LabelColumn; a label is never also a feature, so leave it out of Columns."), nameof(options));
            }
        }

        if (options.Columns is null)
        {
            Field[] features = [.. fields.Where(f => FeatureColumn.IsNumeric(f) && !string.Equals(f.Name, options.LabelColumn, StringComparison.Ordinal))];
            if (features.Length == 0)
            {
                throw new ArgumentException(
                    Invariant($"Parquet file '{path}' has no numeric column to read as a feature besides the label; its numeric columns are {available}, its columns {string.Join(", ", fields.Select(Describe))}."),
                    nameof(options));
            }

            return [.. features.Select(f => FeatureColumn.For((DataField)f))];
        }

        var selected = new FeatureColumn[options.Columns.Count];
        for (int i = 0; i < selected.Length; i++)
        {
            string name = options.Columns[i];
            Field field = Find(name) ?? throw new ArgumentException(
                Invariant($"Columns[{i}] is '{name}', which is not a top-level column of Parquet file '{path}'; its numeric columns are {available}."), nameof(options));
            if (!FeatureColumn.IsNumeric(field))
            {
                throw new ArgumentException(
                    Invariant($"Columns[{i}] is '{name}', a {Kind(field)} column, which is not numeric; the numeric columns of Parquet file '{path}' are {available}."), nameof(options));
            }

            selected[i] = FeatureColumn.For((DataField)field);
        }

        return selected;
    }

    private static string Quote(string name) => "'" + name + "'";

    /// <summary>A column's name and kind, as messages show it: <c>'label' (String)</c>, <c>'tags' (List)</c>.</summary>
    private static string Describe(Field field) => Invariant($"'{field.Name}' ({Kind(field)})");

    /// <summary>A column's kind: its CLR type's name (<c>String</c> for text), <c>repeated Int32</c>, or <c>List</c>, <c>Map</c>, <c>Struct</c>.</summary>
    private static string Kind(Field field) => field switch
    {
        DataField { IsArray: true } data => Invariant($"repeated {TypeName(data.ClrType)}"),
        DataField data => TypeName(data.ClrType),
        _ => field.SchemaType.ToString(),
    };

    private static string TypeName(Type type) => type == typeof(ReadOnlyMemory<char>) ? "String" : type.Name;
}
