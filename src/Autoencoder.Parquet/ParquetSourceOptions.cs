namespace Autoencoder.Parquet;

/// <summary>Which columns of a Parquet file <see cref="ParquetDataSource.Open"/> reads as features, and what a null becomes.</summary>
/// <remarks>
/// Each property is checked when it is set (an <see cref="ArgumentException"/> that says what was
/// expected and what was given); names are matched against the file's schema when the source
/// opens, and a mismatch names <c>options</c> as the parameter and lists the file's numeric columns.
/// </remarks>
public sealed class ParquetSourceOptions
{
    private readonly IReadOnlyList<string>? _columns;
    private readonly string? _labelColumn;
    private readonly ParquetNulls _nulls = ParquetNulls.Error;

    /// <summary>
    /// The top-level columns to read as features, by name (case-sensitive), in the order the
    /// features should have (not necessarily the file's). Each must be numeric (see
    /// <see cref="ParquetDataSource"/>). Default null: every numeric top-level column, in the file's
    /// order, except <see cref="LabelColumn"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">The list holds a null name.</exception>
    /// <exception cref="ArgumentException">The list is empty, names a column twice, or holds an empty name.</exception>
    public IReadOnlyList<string>? Columns
    {
        get => _columns;
        init
        {
            if (value is null)
            {
                _columns = null;
                return;
            }

            string[] names = [.. value];
            if (names.Length == 0)
            {
                throw new ArgumentException("Columns must name at least one column; got an empty list.", nameof(Columns));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < names.Length; i++)
            {
                if (names[i] is null)
                {
                    throw new ArgumentNullException(nameof(Columns), Invariant($"Columns must hold column names; got null at position {i}."));
                }

                if (names[i].Length == 0)
                {
                    throw new ArgumentException(Invariant($"Columns must hold column names; got an empty string at position {i}."), nameof(Columns));
                }

                if (!seen.Add(names[i]))
                {
                    throw new ArgumentException(Invariant($"Columns must name each column once; got '{names[i]}' again at position {i}."), nameof(Columns));
                }
            }

            _columns = names;
        }
    }

    /// <summary>
    /// A column that is never a feature (a class or an identifier, of any type), by name. It must exist
    /// in the file and cannot also be one of <see cref="Columns"/>. Default null.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public string? LabelColumn
    {
        get => _labelColumn;
        init
        {
            if (value is not null && value.Length == 0)
            {
                throw new ArgumentException("LabelColumn must be a column name; got an empty string.", nameof(LabelColumn));
            }

            _labelColumn = value;
        }
    }

    /// <summary>What a null in a feature column becomes. Default <see cref="ParquetNulls.Error"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of <see cref="ParquetNulls"/>.</exception>
    public ParquetNulls Nulls
    {
        get => _nulls;
        init
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(Nulls), Invariant($"Nulls must be ParquetNulls.Error or ParquetNulls.Zero; got {(int)value}."));
            }

            _nulls = value;
        }
    }
}
