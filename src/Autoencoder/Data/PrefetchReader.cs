using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Autoencoder.Data;

/// <summary>
/// Reads another reader ahead on a background thread, a block of rows at a time, through a
/// bounded queue of two blocks: while the caller uses one block the next is being read, and
/// memory stays at four blocks whatever the data's size. An error of the inner reader reaches
/// the caller when it gets to the rows that failed.
/// </summary>
internal sealed class PrefetchReader : RowReader
{
    private const int QueuedBlocks = 2;

    private readonly RowReader _inner;
    private readonly int _blockRows;
    private readonly ConcurrentQueue<Block> _full = new();
    private readonly ConcurrentBag<Block> _free = [];

    // The queue's bounds: blocks ready (one more release when the producer ends) and places free.
    // Semaphores rather than a BlockingCollection, whose waiting take allocates a token source each time.
    private readonly SemaphoreSlim _ready = new(0);
    private readonly SemaphoreSlim _places = new(QueuedBlocks);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Block? _current;
    private int _position;
    private ExceptionDispatchInfo? _error;
    private bool _ended;
    private bool _disposed;

    public PrefetchReader(RowReader inner, int blockRows)
        : base(inner.Columns)
    {
        _inner = inner;
        _blockRows = Math.Max(1, blockRows);
        _thread = new Thread(Produce) { IsBackground = true, Name = "Autoencoder data prefetch" };
        _thread.Start();
    }

    /// <inheritdoc/>
    public override int Read(Span<float> destination, int rows)
    {
        int read = 0;
        while (read < rows)
        {
            if (_current is null || _position == _current.Count)
            {
                if (!NextBlock())
                {
                    break;
                }
            }

            Block block = _current!;
            int take = Math.Min(rows - read, block.Count - _position);
            block.Values.AsSpan(_position * Columns, take * Columns).CopyTo(destination.Slice(read * Columns, take * Columns));
            _position += take;
            read += take;
        }

        return read;
    }

    /// <summary>
    /// When the next <paramref name="rows"/> rows are exactly the next block read ahead, and its
    /// array is as long as <paramref name="replacement"/>, hands that array over in
    /// <paramref name="block"/> and keeps <paramref name="replacement"/> for a later block, so the
    /// rows are not copied; otherwise returns false and reads nothing.
    /// </summary>
    public bool TryTakeBlock(int rows, float[] replacement, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out float[]? block)
    {
        block = null;
        if (_current is not null && _position != _current.Count)
        {
            return false;
        }

        if (!NextBlock())
        {
            return false;
        }

        Block next = _current!;
        if (next.Count != rows || next.Values.Length != replacement.Length)
        {
            return false; // the block stays current: Read copies from it
        }

        block = next.Values;
        next.Values = replacement;
        _current = null;
        _free.Add(next);
        return true;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing || _disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _inner.Cancel();
        _thread.Join();
        _ready.Dispose();
        _places.Dispose();
        _stop.Dispose();
    }

    private bool NextBlock()
    {
        if (_current is not null)
        {
            _free.Add(_current);
            _current = null;
        }

        if (_ended)
        {
            return false;
        }

        _ready.Wait();
        if (!_full.TryDequeue(out Block? block))
        {
            _ended = true; // the producer's last release: nothing more comes
            _error?.Throw();
            return false;
        }

        _places.Release();
        _current = block;
        _position = 0;
        return true;
    }

    private void Produce()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _places.Wait(_stop.Token);
                Block block = _free.TryTake(out Block? reused) ? reused : new Block(new float[_blockRows * Columns]);
                block.Count = _inner.ReadFully(block.Values, _blockRows);
                if (block.Count == 0)
                {
                    break;
                }

                _full.Enqueue(block);
                _ready.Release();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _error = ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            // On this thread, which used it: an asynchronous stream's disposal may need no other.
            _inner.Dispose();
            _ready.Release();
        }
    }

    private sealed class Block(float[] values)
    {
        public float[] Values { get; set; } = values;

        public int Count { get; set; }
    }
}
