using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Autoencoder.Package.Tests;

/// <summary>The NuGet package's contents, and a fresh console app that installs it and runs the README's quick start.</summary>
[Collection(nameof(PackedLibrary))]
public sealed class PackageTests(PackedLibrary library)
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    private XElement Metadata()
    {
        using ZipArchive zip = ZipFile.OpenRead(library.Package);
        ZipArchiveEntry entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!.Element(Nuspec + "metadata")!;
    }

    [Fact]
    public void Package_HasItsMetadata()
    {
        XElement metadata = Metadata();
        Assert.Equal("Autoencoder", metadata.Element(Nuspec + "id")!.Value);
        Assert.Matches(@"^\d+\.\d+\.\d+", metadata.Element(Nuspec + "version")!.Value);
        Assert.Equal("Autoencoder.", Path.GetFileName(library.Package)[..12]);
        Assert.Contains("autoencoder", metadata.Element(Nuspec + "description")!.Value, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("autoencoder", metadata.Element(Nuspec + "tags")!.Value.Split(' '));
        XElement license = metadata.Element(Nuspec + "license")!;
        Assert.Equal("expression", license.Attribute("type")!.Value);
        Assert.Equal("MIT", license.Value);
        Assert.Equal("README.md", metadata.Element(Nuspec + "readme")!.Value);
    }

    [Fact]
    public void Package_DependsOnExactlyMathNetTensorsAndSep()
    {
        var dependencies = Metadata().Element(Nuspec + "dependencies")!.Descendants(Nuspec + "dependency")
            .Select(d => d.Attribute("id")!.Value).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["MathNet.Numerics", "Sep", "System.Numerics.Tensors"], dependencies);
        var groups = Metadata().Element(Nuspec + "dependencies")!.Elements(Nuspec + "group").Select(g => g.Attribute("targetFramework")!.Value);
        Assert.Equal(["net10.0"], groups);
    }

    [Fact]
    public void Package_HoldsAssemblyXmlDocsAndReadme_AndSymbolsPackageHoldsThePdb()
    {
        using (ZipArchive zip = ZipFile.OpenRead(library.Package))
        {
            string[] files = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net10.0/Autoencoder.dll", files);
            Assert.Contains("lib/net10.0/Autoencoder.xml", files);
            Assert.Contains("README.md", files);
            Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.Ordinal));

            using var reader = new StreamReader(zip.GetEntry("lib/net10.0/Autoencoder.xml")!.Open());
            string docs = reader.ReadToEnd();
            Assert.Contains("M:Autoencoder.AutoencoderModel.ExportOnnx(System.String,Autoencoder.OnnxGraph)", docs);
        }

        Assert.NotNull(library.SymbolsPackage);
        using ZipArchive symbols = ZipFile.OpenRead(library.SymbolsPackage!);
        Assert.Contains("lib/net10.0/Autoencoder.pdb", symbols.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void PackageReadme_IsPackageMd_WithTheRepositoryQuickStart_AndNoRelativeLinks()
    {
        using ZipArchive zip = ZipFile.OpenRead(library.Package);
        using var reader = new StreamReader(zip.GetEntry("README.md")!.Open());
        string readme = reader.ReadToEnd();
        Assert.Equal(File.ReadAllText(Path.Combine(library.RepositoryRoot, "src", "Autoencoder", "PACKAGE.md")), readme);
        Assert.Equal(QuickStart(File.ReadAllText(Path.Combine(library.RepositoryRoot, "README.md"))), QuickStart(readme));

        // A relative link or image would break on the package page, which has no repository beside it.
        string[] targets = Regex.Matches(readme, @"\]\(([^)\s]+)").Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(targets);
        Assert.All(targets, t => Assert.Matches("^(https?://|#)", t));
        Assert.DoesNotContain("<img src=\"", readme.Replace("<img src=\"https://", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void ConsoleApp_OutsideTheRepository_InstallsThePackageAndRunsTheReadmeQuickStart()
    {
        string app = Path.Combine(library.Root, "consumer");
        Directory.CreateDirectory(app);

        // Stop MSBuild and NuGet from looking further up than this folder for settings.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />\n");

        // The local feed is added to the machine's usual sources (which serve MathNet.Numerics);
        // a private package folder keeps this package out of the user's cache, so every run
        // installs the package just packed.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(library.Root, "packages")}" />
              </config>
              <packageSources>
                <add key="local" value="{library.Feed}" />
              </packageSources>
            </configuration>
            """);
        string version = Metadata().Element(Nuspec + "version")!.Value;
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Autoencoder" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), QuickStart(File.ReadAllText(Path.Combine(library.RepositoryRoot, "README.md"))));

        PackedLibrary.Run("dotnet", ["build", "-c", "Release"], app, TimeSpan.FromMinutes(3));
        string output = PackedLibrary.Run("dotnet", ["run", "--no-build", "-c", "Release"], app, TimeSpan.FromMinutes(3));

        Assert.Contains("validation loss by epoch: ", output);
        Assert.Matches(@"test loss \d+\.\d{4}, code size 32 for 784 inputs", output);
        string assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
        Assert.Contains($"\"Autoencoder/{version}\"", assets);

        // What installing the library brings: these packages and nothing else.
        using var document = System.Text.Json.JsonDocument.Parse(assets);
        string[] restored = [.. document.RootElement.GetProperty("libraries").EnumerateObject()
            .Select(p => p.Name[..p.Name.IndexOf('/', StringComparison.Ordinal)])
            .Order(StringComparer.OrdinalIgnoreCase)];
        Assert.Equal(["Autoencoder", "csFastFloat", "MathNet.Numerics", "Sep", "System.Numerics.Tensors"], restored);
        Assert.True(File.Exists(Path.Combine(library.Root, "packages", "autoencoder", version, Path.GetFileName(library.Package).ToLowerInvariant())), "the app did not install the packed package");
    }

    /// <summary>The C# block after the README's <c>&lt;!-- quick-start --&gt;</c> marker.</summary>
    private static string QuickStart(string readme)
    {
        readme = readme.ReplaceLineEndings("\n");
        int marker = readme.IndexOf("<!-- quick-start -->", StringComparison.Ordinal);
        Assert.True(marker >= 0, "README.md has no '<!-- quick-start -->' marker");
        int open = readme.IndexOf("```csharp\n", marker, StringComparison.Ordinal) + "```csharp\n".Length;
        int close = readme.IndexOf("```", open, StringComparison.Ordinal);
        return readme[open..close];
    }
}
