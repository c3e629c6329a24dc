using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// A run's history as its checkpoint state holds it, entry <c>history</c> (see <see cref="Write"/>):
/// one <c>epoch:train_loss:validation_or_-:duration_ticks:learning_rate</c> entry per completed
/// epoch, joined by <c>;</c>, every number in canonical invariant text. Checked
/// entry by entry on its UTF-8 bytes when read (the entry count against the epoch first), then kept
/// as those bytes with where every <see cref="BlockEntries"/>th entry starts, so a history as long
/// as the header costs little beyond its text; each <see cref="EpochResult"/> is built when asked for.
/// </summary>
[SkipLocalsInit] // the field and digit buffers are written before they are read
internal sealed class CheckpointHistory : IReadOnlyList<EpochResult>
{
    /// <summary>Entries between recorded starts: an entry is found by skipping fewer than this many.</summary>
    private const int BlockEntries = 64;

    /// <summary>The shortest valid entry, <c>1:0:-:0:0</c>, with its separator: n entries need at least 10n − 1 bytes.</summary>
    private const int MinEntryBytes = 10;

    private readonly ReadOnlyMemory<byte> _text;
    private readonly int[] _blockStarts;

    private CheckpointHistory(ReadOnlyMemory<byte> text, int count, int[] blockStarts)
    {
        _text = text;
        Count = count;
        _blockStarts = blockStarts;
    }

    /// <summary>The completed epochs.</summary>
    public int Count { get; }

    /// <summary>Epoch <paramref name="index"/> + 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Count"/>.</exception>
    public EpochResult this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), Invariant($"index must be from 0 to {Count - 1}; got {index}."));
            }

            ReadOnlySpan<byte> text = _text.Span;
            int start = _blockStarts[index / BlockEntries];
            for (int skip = index % BlockEntries; skip > 0; skip--)
            {
                start += text[start..].IndexOf((byte)';') + 1;
            }

            return Entry(text, start, index + 1, out _);
        }
    }

    /// <summary>The name of the entry that holds the history.</summary>
    public const string Key = "history";

    /// <summary><paramref name="history"/> (epochs 1, 2, … in order) as the text <see cref="Read"/> reads.</summary>
    public static string Write(IEnumerable<EpochResult> history) => string.Join(";", history.Select(e =>
        Invariant($"{NamedState.Format(e.Epoch)}:{NamedState.Format(e.TrainLoss)}:{(e.ValidationLoss is double v ? NamedState.Format(v) : "-")}:{e.Duration.Ticks.ToString(CultureInfo.InvariantCulture)}:{NamedState.Format(e.LearningRate)}")));

    /// <summary>
    /// Checks <paramref name="text"/> as the history of a checkpoint at <paramref name="epoch"/>: as
    /// many entries as completed epochs (counted before any is read), epochs 1, 2, … in order, every
    /// number canonical. Throws <see cref="ModelFormatException"/> at the first problem.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every epoch, before tiering would optimise it
    public static CheckpointHistory Read(ReadOnlyMemory<byte> text, int epoch)
    {
        ReadOnlySpan<byte> span = text.Span;
        long entries = span.IsEmpty ? 0 : span.Count((byte)';') + 1;
        if (entries != epoch - 1)
        {
            throw new ModelFormatException(Invariant($"Metadata '{Key}' must hold one entry per completed epoch, {epoch - 1} before epoch {epoch}; it holds {entries}."));
        }

        // Only valid entries are recorded, and those need MinEntryBytes each.
        var blockStarts = new int[(Math.Min(entries, (span.Length + 1L) / MinEntryBytes) + BlockEntries - 1) / BlockEntries];
        Span<byte> counter = stackalloc byte[10]; // the next epoch's digits, right-aligned: an int has at most 10
        counter[^1] = (byte)'1';
        int digits = 1, start = 0;
        for (int i = 0; i < entries; i++)
        {
            int end = ValidEntryEnd(span, start, counter[^digits..]);
            if (end < 0)
            {
                int length = span[start..].IndexOf((byte)';');
                end = length < 0 ? span.Length : start + length;
                CheckEntry(span[start..end], i + 1, epoch); // says what is wrong
            }

            if (i % BlockEntries == 0)
            {
                blockStarts[i / BlockEntries] = start;
            }

            start = end + 1;
            if (i + 1 < entries)
            {
                digits = Increment(counter, digits);
            }
        }

        return new CheckpointHistory(text, (int)entries, blockStarts);
    }

    /// <summary>The epochs in order, each built as it is reached.</summary>
    public IEnumerator<EpochResult> GetEnumerator()
    {
        for (int i = 0, start = 0; i < Count; i++)
        {
            yield return Entry(_text.Span, start, i + 1, out int end);
            start = end + 1;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The entry of epoch <paramref name="epoch"/>, checked when read, which starts at <paramref name="start"/> and ends at <paramref name="end"/>.</summary>
    private static EpochResult Entry(ReadOnlySpan<byte> text, int start, int epoch, out int end)
    {
        int length = text[start..].IndexOf((byte)';');
        end = length < 0 ? text.Length : start + length;
        ReadOnlySpan<byte> entry = text[start..end];
        Span<int> colons = stackalloc int[4];
        Colons(entry, colons);
        ReadOnlySpan<byte> validation = entry[(colons[1] + 1)..colons[2]];
        return new EpochResult(
            epoch,
            Double(entry[(colons[0] + 1)..colons[1]]),
            validation.SequenceEqual("-"u8) ? null : Double(validation),
            TimeSpan.FromTicks(long.Parse(entry[(colons[2] + 1)..colons[3]], NumberStyles.None, CultureInfo.InvariantCulture)),
            Double(entry[(colons[3] + 1)..]));
    }

    /// <summary>Adds one to the decimal number in the last <paramref name="digits"/> bytes of <paramref name="counter"/>; returns its digit count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Increment(Span<byte> counter, int digits)
    {
        int k = counter.Length - 1;
        while (k >= counter.Length - digits && counter[k] == (byte)'9')
        {
            counter[k--] = (byte)'0';
        }

        if (k < counter.Length - digits)
        {
            counter[k] = (byte)'1';
            return digits + 1;
        }

        counter[k]++;
        return digits;
    }

    /// <summary>
    /// Where the entry at <paramref name="start"/> ends (at a <c>;</c> or the end of the text) when it
    /// is valid and its epoch is written <paramref name="expected"/>, else −1: the check of
    /// <see cref="CheckEntry"/> in one pass over the entry, with nothing to say about a problem.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every epoch, before tiering would optimise it
    private static int ValidEntryEnd(ReadOnlySpan<byte> text, int start, ReadOnlySpan<byte> expected)
    {
        ReadOnlySpan<byte> rest = text[start..];
        if (!rest.StartsWith(expected) || rest.Length == expected.Length || rest[expected.Length] != (byte)':')
        {
            return -1;
        }

        int from = expected.Length + 1, to = FieldEnd(rest, from);
        if (to == rest.Length || rest[to] != (byte)':' || !CanonicalNumber.IsDouble(rest[from..to]))
        {
            return -1;
        }

        from = to + 1;
        to = FieldEnd(rest, from);
        if (to == rest.Length || rest[to] != (byte)':' || !(rest[from..to].SequenceEqual("-"u8) || CanonicalNumber.IsDouble(rest[from..to])))
        {
            return -1;
        }

        from = to + 1;
        to = FieldEnd(rest, from);
        if (to == rest.Length || rest[to] != (byte)':' || !CanonicalNumber.IsNonNegativeLong(rest[from..to]))
        {
            return -1;
        }

        from = to + 1;
        to = FieldEnd(rest, from);
        return (to == rest.Length || rest[to] == (byte)';') && CanonicalNumber.IsDouble(rest[from..to]) ? start + to : -1;
    }

    /// <summary>Where the field at <paramref name="from"/> ends: at the next <c>:</c> or <c>;</c>, or the end of the text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FieldEnd(ReadOnlySpan<byte> text, int from)
    {
        int i = from;
        while (i < text.Length && text[i] != (byte)':' && text[i] != (byte)';')
        {
            i++;
        }

        return i;
    }

    /// <summary>Checks entry <paramref name="number"/> (1-based) in the order its fields are written, and throws at the first problem.</summary>
    private static void CheckEntry(ReadOnlySpan<byte> entry, int number, int epoch)
    {
        Span<int> colons = stackalloc int[4];
        if (Colons(entry, colons) != colons.Length)
        {
            throw new ModelFormatException(Invariant($"Metadata '{Key}' must hold epoch:train:validation:ticks:rate entries; got '{ShownText.Of(entry)}'."));
        }

        int actual = Epoch(entry[..colons[0]]);
        if (actual != number)
        {
            throw new ModelFormatException(Invariant($"Metadata '{Key}' must list epochs 1 to {epoch - 1} in order; entry {number} is epoch {actual}."));
        }

        CheckNumber(entry[(colons[0] + 1)..colons[1]]);
        ReadOnlySpan<byte> validation = entry[(colons[1] + 1)..colons[2]];
        if (!validation.SequenceEqual("-"u8))
        {
            CheckNumber(validation);
        }

        ReadOnlySpan<byte> ticks = entry[(colons[2] + 1)..colons[3]];
        if (!CanonicalNumber.IsNonNegativeLong(ticks))
        {
            throw new ModelFormatException(Invariant($"Metadata '{Key}' must hold a non-negative integer in canonical form; got '{ShownText.Of(ticks)}'."));
        }

        CheckNumber(entry[(colons[3] + 1)..]);
    }

    /// <summary>Records where the first colons of <paramref name="entry"/> are; returns how many it has, up to one more than <paramref name="colons"/> holds.</summary>
    private static int Colons(ReadOnlySpan<byte> entry, Span<int> colons)
    {
        int found = 0;
        for (int i = 0; i < entry.Length; i++)
        {
            if (entry[i] == (byte)':')
            {
                if (found == colons.Length)
                {
                    return found + 1;
                }

                colons[found++] = i;
            }
        }

        return found;
    }

    /// <summary>An epoch field that is not the one expected: its value, or the error for text that is no canonical epoch.</summary>
    private static int Epoch(ReadOnlySpan<byte> text)
    {
        Span<byte> formatted = stackalloc byte[11];
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1
            || !value.TryFormat(formatted, out int written, default, CultureInfo.InvariantCulture) || !formatted[..written].SequenceEqual(text))
        {
            throw new ModelFormatException(Invariant($"Metadata '{Key}' must hold an integer of at least 1 in canonical form; got '{ShownText.Of(text)}'."));
        }

        return value;
    }

    private static void CheckNumber(ReadOnlySpan<byte> text)
    {
        if (!CanonicalNumber.IsDouble(text))
        {
            throw new ModelFormatException(Invariant($"Metadata '{Key}' must hold numbers in canonical form; got '{ShownText.Of(text)}'."));
        }
    }

    private static double Double(ReadOnlySpan<byte> text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
