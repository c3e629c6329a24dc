using System.IO.Compression;
using System.Xml.Linq;

namespace Autoencoder.Package.Tests;

/// <summary>The Autoencoder.Parquet package: its metadata, its contents, and dependencies on exactly the core package and Parquet.Net.</summary>
[Collection(nameof(PackedLibrary))]
public sealed class ParquetPackageTests(PackedLibrary library)
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    private XElement Metadata()
    {
        using ZipArchive zip = ZipFile.OpenRead(library.ParquetPackage);
        ZipArchiveEntry entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!.Element(Nuspec + "metadata")!;
    }

    [Fact]
    public void Package_HasItsMetadata_AndThePackagePage()
    {
        XElement metadata = Metadata();
        Assert.Equal("Autoencoder.Parquet", metadata.Element(Nuspec + "id")!.Value);
        Assert.Contains("parquet", metadata.Element(Nuspec + "tags")!.Value.Split(' '));
        Assert.Equal("MIT", metadata.Element(Nuspec + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(Nuspec + "readme")!.Value);

        using ZipArchive zip = ZipFile.OpenRead(library.ParquetPackage);
        string[] files = zip.Entries.Select(e => e.FullName).ToArray();
        Assert.Contains("lib/net10.0/Autoencoder.Parquet.dll", files);
        Assert.Contains("lib/net10.0/Autoencoder.Parquet.xml", files);
        Assert.DoesNotContain("lib/net10.0/Autoencoder.dll", files);
        using var reader = new StreamReader(zip.GetEntry("README.md")!.Open());
        Assert.Equal(File.ReadAllText(Path.Combine(library.RepositoryRoot, "src", "Autoencoder.Parquet", "PACKAGE.md")), reader.ReadToEnd());
    }

    [Fact]
    public void Package_DependsOnExactlyTheCorePackageOfItsVersion_AndParquetNet()
    {
        XElement metadata = Metadata();
        (string Id, string Version)[] dependencies = metadata.Element(Nuspec + "dependencies")!.Descendants(Nuspec + "dependency")
            .Select(d => (d.Attribute("id")!.Value, d.Attribute("version")!.Value)).OrderBy(d => d.Item1, StringComparer.Ordinal).ToArray();
        Assert.Equal([("Autoencoder", metadata.Element(Nuspec + "version")!.Value), ("Parquet.Net", "6.1.0")], dependencies);
    }
}
