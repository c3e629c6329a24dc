using System.IO.Compression;
using System.Reflection.Metadata;
using System.Xml.Linq;

namespace Autoencoder.Package.Tests;

/// <summary>
/// Provenance: packed from a clone, the package names its repository and commit, its symbols map
/// every source file to that commit's raw files (Source Link), and a CI build's paths are the
/// deterministic <c>/_/</c> ones; the repository carries its licence.
/// </summary>
[Collection(nameof(PackedLibrary))]
public sealed class SourceLinkTests(PackedLibrary library)
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    [Fact]
    public void Package_NamesTheRepositoryAndCommitItWasPackedFrom()
    {
        using ZipArchive zip = ZipFile.OpenRead(library.Package);
        using Stream stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        XElement repository = XDocument.Load(stream).Root!.Element(Nuspec + "metadata")!.Element(Nuspec + "repository")!;
        Assert.Equal("git", repository.Attribute("type")!.Value);
        Assert.Equal(PackedLibrary.RemoteUrl, repository.Attribute("url")!.Value);
        Assert.Equal(library.Commit, repository.Attribute("commit")!.Value);
    }

    [Fact]
    public void Symbols_MapSourcesToTheCommit_WithDeterministicPaths()
    {
        Assert.NotNull(library.SymbolsPackage);
        using ZipArchive symbols = ZipFile.OpenRead(library.SymbolsPackage!);
        using var pdb = new MemoryStream();
        using (Stream entry = symbols.GetEntry("lib/net10.0/Autoencoder.pdb")!.Open())
        {
            entry.CopyTo(pdb);
        }

        pdb.Position = 0;
        using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        MetadataReader reader = provider.GetMetadataReader();
        string[] documents = [.. reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name))];
        Assert.Contains("/_/src/Autoencoder/AutoencoderModel.cs", documents);
        Assert.All(documents.Where(d => d.EndsWith(".cs", StringComparison.Ordinal) && !d.Contains("/obj/", StringComparison.Ordinal)), d => Assert.StartsWith("/_/", d));

        var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        string? sourceLink = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(c => reader.GetGuid(c.Kind) == sourceLinkKind)
            .Select(c => System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(c.Value)))
            .SingleOrDefault();
        Assert.NotNull(sourceLink);
        Assert.Contains($"https://raw.githubusercontent.com/autoencoder-packaging-test/autoencoder/{library.Commit}/*", sourceLink);
    }

    [Fact]
    public void Repository_CarriesTheMitLicence()
    {
        string licence = File.ReadAllText(Path.Combine(library.RepositoryRoot, "LICENSE"));
        Assert.StartsWith("MIT License", licence);
        Assert.Contains("Permission is hereby granted, free of charge", licence);
    }
}
