using System.IO.Compression;
using System.Text.Json;

namespace Autoencoder.MLNet;

/// <summary>
/// A transformer's file: a zip archive holding <c>transformer.json</c> (what kind of transformer,
/// and its column names) and <c>model</c>, the core library's own file of the model or detector,
/// which <see cref="AutoencoderModel.Load(Stream)"/> or <see cref="AnomalyDetector.Load(Stream)"/> reads.
/// </summary>
internal static class TransformerFile
{
    private const string ManifestEntry = "transformer.json";
    private const string ModelEntry = "model";
    private const int FormatVersion = 1;

    /// <summary>Writes the file, replacing any at <paramref name="path"/> only once it is complete.</summary>
    public static void Save(string path, string kind, IReadOnlyDictionary<string, string> columns, Action<Stream> writeModel)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string partial = full + ".partial";
        using (FileStream file = File.Create(partial))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            using (Stream manifest = zip.CreateEntry(ManifestEntry).Open())
            using (var json = new Utf8JsonWriter(manifest, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("kind", kind);
                json.WriteNumber("version", FormatVersion);
                json.WriteStartObject("columns");
                foreach ((string role, string name) in columns)
                {
                    json.WriteString(role, name);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            using Stream model = zip.CreateEntry(ModelEntry, CompressionLevel.Optimal).Open();
            writeModel(model);
        }

        File.Move(partial, full, overwrite: true);
    }

    /// <summary>Reads a file written by <see cref="Save"/> for a transformer of <paramref name="kind"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not such a transformer's file.</exception>
    public static T Load<T>(string path, string kind, Func<IReadOnlyDictionary<string, string>, Stream, T> read)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream file = File.OpenRead(path);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(Invariant($"'{path}' is not a transformer file of Autoencoder.MLNet (a zip archive): {e.Message}"), e);
        }

        using (zip)
        {
            ZipArchiveEntry manifestEntry = zip.GetEntry(ManifestEntry)
                ?? throw new InvalidDataException(Invariant($"'{path}' has no '{ManifestEntry}': it is not a transformer file of Autoencoder.MLNet."));
            var columns = new Dictionary<string, string>();
            using (Stream manifest = manifestEntry.Open())
            using (JsonDocument document = JsonDocument.Parse(manifest))
            {
                JsonElement root = document.RootElement;
                string? found = root.TryGetProperty("kind", out JsonElement k) ? k.GetString() : null;
                if (found != kind)
                {
                    throw new InvalidDataException(Invariant($"'{path}' must hold a {kind}; it holds a {found ?? "transformer of no kind"}."));
                }

                int version = root.TryGetProperty("version", out JsonElement v) ? v.GetInt32() : 0;
                if (version != FormatVersion)
                {
                    throw new InvalidDataException(Invariant($"'{path}' must be of format version {FormatVersion}; got {version}."));
                }

                foreach (JsonProperty column in root.GetProperty("columns").EnumerateObject())
                {
                    columns[column.Name] = column.Value.GetString() ?? "";
                }
            }

            ZipArchiveEntry modelEntry = zip.GetEntry(ModelEntry)
                ?? throw new InvalidDataException(Invariant($"'{path}' has no '{ModelEntry}' entry."));
            using Stream model = modelEntry.Open();
            return read(columns, model);
        }
    }

    /// <summary>The column name saved for <paramref name="role"/>.</summary>
    /// <exception cref="InvalidDataException">There is none.</exception>
    public static string Column(IReadOnlyDictionary<string, string> columns, string role, string path) =>
        columns.TryGetValue(role, out string? name) && name.Length > 0
            ? name
            : throw new InvalidDataException(Invariant($"'{path}' names no '{role}' column."));
}
