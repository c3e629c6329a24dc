using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>
/// Rows <c>[start, start + count)</c> of a MathNet matrix. The matrix stores columns, so its
/// rows are read in blocks through a transposing copy; training copies them once into a
/// row-major array (<see cref="ToRowMajor"/>).
/// </summary>
internal sealed class MatrixSource : DataSource
{
    private readonly int _start;
    private readonly int _count;

    public MatrixSource(Matrix<float> matrix)
        : this(matrix ?? throw new ArgumentNullException(nameof(matrix)), 0, matrix.RowCount)
    {
    }

    private MatrixSource(Matrix<float> matrix, int start, int count)
        : base(matrix.ColumnCount)
    {
        Matrix = matrix;
        _start = start;
        _count = count;
    }

    /// <summary>The matrix, all of whose rows this source reads when <see cref="IsWhole"/>.</summary>
    public Matrix<float> Matrix { get; }

    /// <summary>True when the source is every row of <see cref="Matrix"/>.</summary>
    public bool IsWhole => _start == 0 && _count == Matrix.RowCount;

    /// <inheritdoc/>
    public override long? RowCount => _count;

    /// <inheritdoc/>
    internal override bool CanSeek => true;

    /// <inheritdoc/>
    internal override string Identity => "memory";

    /// <summary>The rows copied into one row-major array, in order.</summary>
    public ContiguousSource ToRowMajor()
    {
        var values = new float[(long)_count * Columns];
        RowMajor.CopyRows(Matrix, _start, _count, values);
        return new ContiguousSource(values, Columns);
    }

    /// <inheritdoc/>
    internal override RowReader OpenRows(long start, long count)
    {
        int first = (int)Math.Min(start, _count);
        return new Reader(this, _start + first, (int)Math.Min(count, _count - first));
    }

    /// <inheritdoc/>
    private protected override DataSource SliceCore(long start, long count, bool countKnown) => new MatrixSource(Matrix, _start + (int)start, (int)count);

    /// <summary>A pass over matrix rows <c>[start, start + count)</c>.</summary>
    private sealed class Reader(MatrixSource source, int start, int count) : RowReader(source.Columns)
    {
        private readonly int _end = start + count;
        private int _next = start;

        public override int Read(Span<float> destination, int rows)
        {
            int take = Math.Min(rows, _end - _next);
            if (take > 0)
            {
                RowMajor.CopyRows(source.Matrix, _next, take, destination);
                _next += take;
            }

            return take;
        }

        public override long Skip(long rows)
        {
            int take = (int)Math.Min(rows, _end - _next);
            _next += take;
            return take;
        }
    }
}
