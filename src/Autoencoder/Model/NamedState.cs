using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Autoencoder.Model;

/// <summary>
/// State that the parts of a training run expose by name (the optimizer, the learning-rate
/// schedule, early stopping, the position in the data), so a checkpoint can store it without
/// knowing what it means: scalar entries as text, long text entries as UTF-8 bytes, and float32
/// tensors with their shapes. Each part writes its entries with the typed setters and reads them
/// back with the typed getters, and checks what the values mean itself.
/// </summary>
/// <remarks>
/// Numbers are written in canonical invariant text (integers in decimal without leading zeros,
/// doubles in round-trip form, <c>"R"</c>), flags as <c>true</c> or <c>false</c>; a getter accepts
/// exactly the text its setter writes and throws <see cref="ModelFormatException"/> naming the entry
/// otherwise. A file stores every scalar entry as a metadata key and every tensor as a tensor of
/// the same name, so the messages call them metadata and tensors. Names are compared ordinally.
/// </remarks>
internal sealed class NamedState
{
    private readonly Dictionary<string, string> _text = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _utf8 = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StateTensor> _tensors = new(StringComparer.Ordinal);

    /// <summary>The scalar entries held as text, by name.</summary>
    public IReadOnlyDictionary<string, string> Text => _text;

    /// <summary>The entries held as UTF-8 bytes (long values read from a file, never decoded), by name.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Utf8 => _utf8;

    /// <summary>The tensors, by name.</summary>
    public IReadOnlyDictionary<string, StateTensor> Tensors => _tensors;

    /// <summary>Whether a scalar entry (text or UTF-8) named <paramref name="name"/> is present.</summary>
    public bool Has(string name) => _text.ContainsKey(name) || _utf8.ContainsKey(name);

    /// <summary>Whether a tensor named <paramref name="name"/> is present.</summary>
    public bool HasTensor(string name) => _tensors.ContainsKey(name);

    /// <summary>Sets entry <paramref name="name"/> to <paramref name="value"/> as given (the caller writes it canonically).</summary>
    public void SetText(string name, string value)
    {
        _utf8.Remove(name);
        _text[name] = value;
    }

    /// <summary>Sets entry <paramref name="name"/> to the UTF-8 text <paramref name="value"/>, kept as bytes.</summary>
    public void SetUtf8(string name, ReadOnlyMemory<byte> value)
    {
        _text.Remove(name);
        _utf8[name] = value;
    }

    /// <summary>Sets entry <paramref name="name"/> to <paramref name="value"/> in canonical decimal.</summary>
    public void SetInt(string name, int value) => SetText(name, Format(value));

    /// <summary>Sets entry <paramref name="name"/> to <paramref name="value"/> in canonical decimal.</summary>
    public void SetLong(string name, long value) => SetText(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Sets entry <paramref name="name"/> to <paramref name="value"/> in round-trip text.</summary>
    public void SetNumber(string name, double value) => SetText(name, Format(value));

    /// <summary>Sets entry <paramref name="name"/> to <c>true</c> or <c>false</c>.</summary>
    public void SetFlag(string name, bool value) => SetText(name, value ? "true" : "false");

    /// <summary>Sets tensor <paramref name="name"/> to the vector <paramref name="values"/> (shape <c>[values.Length]</c>), not copied.</summary>
    public void SetTensor(string name, float[] values) => _tensors[name] = new StateTensor([values.Length], values);

    /// <summary>Sets tensor <paramref name="name"/> to <paramref name="tensor"/>.</summary>
    public void SetTensor(string name, StateTensor tensor) => _tensors[name] = tensor;

    /// <summary>Entry <paramref name="name"/> as text (decoded, when it is held as UTF-8), if present.</summary>
    public bool TryGetText(string name, [NotNullWhen(true)] out string? value)
    {
        if (_text.TryGetValue(name, out value))
        {
            return true;
        }

        value = _utf8.TryGetValue(name, out ReadOnlyMemory<byte> bytes) ? Encoding.UTF8.GetString(bytes.Span) : null;
        return value is not null;
    }

    /// <summary>Entry <paramref name="name"/> as text (decoded, when it is held as UTF-8).</summary>
    /// <exception cref="ModelFormatException">The entry is missing.</exception>
    public string GetText(string name) => TryGetText(name, out string? value) ? value : throw Missing(name);

    /// <summary>Entry <paramref name="name"/> as UTF-8 bytes: those read from a file, or its text encoded.</summary>
    /// <exception cref="ModelFormatException">The entry is missing.</exception>
    public ReadOnlyMemory<byte> GetUtf8(string name) =>
        _utf8.TryGetValue(name, out ReadOnlyMemory<byte> bytes) ? bytes
        : _text.TryGetValue(name, out string? text) ? Encoding.UTF8.GetBytes(text)
        : throw Missing(name);

    /// <summary>Entry <paramref name="name"/>: an integer of at least <paramref name="min"/> in canonical decimal.</summary>
    /// <exception cref="ModelFormatException">The entry is missing or holds anything else.</exception>
    public int GetInt(string name, int min) => ParseInt(GetText(name), name, min);

    /// <summary>Entry <paramref name="name"/> as <see cref="GetInt"/> reads it, or null when it is absent.</summary>
    public int? GetOptionalInt(string name, int min) => TryGetText(name, out string? text) ? ParseInt(text, name, min) : null;

    /// <summary>Entry <paramref name="name"/>: a non-negative integer in canonical decimal.</summary>
    /// <exception cref="ModelFormatException">The entry is missing or holds anything else.</exception>
    public long GetLong(string name) => ParseLong(GetText(name), name);

    /// <summary>Entry <paramref name="name"/>: a number (finite, or infinite when <paramref name="allowInfinity"/>) in round-trip text.</summary>
    /// <exception cref="ModelFormatException">The entry is missing or holds anything else.</exception>
    public double GetNumber(string name, bool allowInfinity = false) => ParseNumber(GetText(name), name, allowInfinity);

    /// <summary>Entry <paramref name="name"/> as <see cref="GetNumber"/> reads it, or null when it is absent.</summary>
    public double? GetOptionalNumber(string name, bool allowInfinity = false) =>
        TryGetText(name, out string? text) ? ParseNumber(text, name, allowInfinity) : null;

    /// <summary>Entry <paramref name="name"/>: <c>true</c> or <c>false</c>.</summary>
    /// <exception cref="ModelFormatException">The entry is missing or holds anything else.</exception>
    public bool GetFlag(string name) => GetText(name) switch
    {
        "true" => true,
        "false" => false,
        var other => throw new ModelFormatException(Invariant($"Metadata '{name}' must be 'true' or 'false'; got '{ShownText.Of(other)}'.")),
    };

    /// <summary>Entry <paramref name="name"/> as <see cref="GetFlag"/> reads it, or null when it is absent.</summary>
    public bool? GetOptionalFlag(string name) => Has(name) ? GetFlag(name) : null;

    /// <summary>The values of tensor <paramref name="name"/>, if present (the live array, not a copy).</summary>
    public bool TryGetTensor(string name, [NotNullWhen(true)] out float[]? values)
    {
        values = _tensors.TryGetValue(name, out StateTensor? tensor) ? tensor.Values : null;
        return values is not null;
    }

    /// <summary>The values of tensor <paramref name="name"/> (the live array, not a copy).</summary>
    /// <exception cref="ModelFormatException">The tensor is missing.</exception>
    public float[] GetTensor(string name) =>
        TryGetTensor(name, out float[]? values) ? values : throw new ModelFormatException(Invariant($"Tensor '{name}' is missing."));

    /// <summary>An integer in canonical decimal.</summary>
    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A number in round-trip text.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="text"/> (all or part of entry <paramref name="name"/>) as an integer of at
    /// least <paramref name="min"/> in canonical decimal.
    /// </summary>
    /// <exception cref="ModelFormatException">It is anything else.</exception>
    public static int ParseInt(string text, string name, int min)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || Format(value) != text)
        {
            throw new ModelFormatException(Invariant($"Metadata '{name}' must hold an integer of at least {min} in canonical form; got '{ShownText.Of(text)}'."));
        }

        return value;
    }

    /// <summary><paramref name="text"/> (all or part of entry <paramref name="name"/>) as a non-negative integer in canonical decimal.</summary>
    /// <exception cref="ModelFormatException">It is anything else.</exception>
    public static long ParseLong(string text, string name)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value.ToString(CultureInfo.InvariantCulture) != text)
        {
            throw new ModelFormatException(Invariant($"Metadata '{name}' must hold a non-negative integer in canonical form; got '{ShownText.Of(text)}'."));
        }

        return value;
    }

    /// <summary>
    /// <paramref name="text"/> (all or part of entry <paramref name="name"/>) as a number in round-trip
    /// text: finite, or also infinite when <paramref name="allowInfinity"/>; never NaN.
    /// </summary>
    /// <exception cref="ModelFormatException">It is anything else.</exception>
    public static double ParseNumber(string text, string name, bool allowInfinity = false)
    {
        if (!double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double value)
            || double.IsNaN(value) || (!allowInfinity && double.IsInfinity(value)) || Format(value) != text)
        {
            throw new ModelFormatException(Invariant($"Metadata '{name}' must hold numbers in canonical form; got '{ShownText.Of(text)}'."));
        }

        return value;
    }

    private static ModelFormatException Missing(string name) => new(Invariant($"Metadata '{name}' is missing."));
}
