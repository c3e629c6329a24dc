using System.Globalization;
using System.Text.RegularExpressions;
using Autoencoder.Evaluation;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests;

/// <summary>
/// Error messages read the same in every culture: numbers in them are formatted with the invariant
/// culture, never with the caller's (which would give <c>got 1,5</c>, or <c>got 1٫5</c> in ar-SA).
/// </summary>
public partial class InvariantMessageTests
{
    /// <summary>
    /// A culture whose number symbols are all unlike the invariant ones, so any number formatted with
    /// it shows up: a decimal separator, group separator, minus sign and infinity that no invariant
    /// message contains.
    /// </summary>
    private static CultureInfo HostileCulture()
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo("ar-SA").Clone();
        culture.NumberFormat.NumberDecimalSeparator = "⁂";
        culture.NumberFormat.NumberGroupSeparator = "⁑";
        culture.NumberFormat.NegativeSign = "⁓";
        culture.NumberFormat.PositiveInfinitySymbol = "⁘inf";
        culture.NumberFormat.NaNSymbol = "⁘nan";
        return culture;
    }

    private static readonly Matrix<float> Rows = TestData.Matrix(8, 6, seed: 1);

    /// <summary>Calls that fail with numbers in their messages: fractions, negatives, large counts and infinities.</summary>
    public static TheoryData<string, string> Failures() => new()
    {
        { "validation fraction", "1.5" },
        { "negative learning rate", "-0.5" },
        { "learning rate outside float range", "1E+39" },
        { "beta", "1.5" },
        { "layer index", "-1" },
        { "dropout", "1.25" },
        { "sparsity target", "1.5" },
        { "non-finite input", "∞" },
        { "confusion counts", "-1" },
        { "model too large", "20,000,200,000" },
    };

    private static void Fail(string what)
    {
        AutoencoderModel model = new AutoencoderBuilder(6).WithLatent(2).WithSeed(1).Build();
        switch (what)
        {
            case "validation fraction": model.Fit(Rows, new TrainingOptions { ValidationFraction = 1.5 }); break;
            case "negative learning rate": model.Fit(Rows, new TrainingOptions { Optimizer = new SgdOptions { LearningRate = -0.5 } }); break;
            case "learning rate outside float range": model.Fit(Rows, new TrainingOptions { Optimizer = new AdamOptions { LearningRate = 1e39 } }); break;
            case "beta": model.Fit(Rows, new TrainingOptions { Optimizer = new AdamOptions { Beta1 = 1.5 } }); break;
            case "layer index": model.Features(Rows, -1); break;
            case "dropout": new AutoencoderBuilder(6).AddEncoderLayer(4, Activation.Relu, new LayerOptions { Dropout = 1.25 }); break;
            case "sparsity target": new AutoencoderBuilder(6).WithSparsity(1.5, 0.1); break;
            case "non-finite input":
                Matrix<float> bad = Rows.Clone();
                bad[2, 3] = float.PositiveInfinity;
                model.Encode(bad);
                break;
            case "confusion counts": _ = new BinaryConfusion(-1, 7, 7, 7); break;
            case "model too large": new AutoencoderBuilder(100_000).WithLatent(100_000).Build(); break;
        }
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void ArgumentMessage_InAHostileCulture_FormatsNumbersInvariantly(string what, string number)
    {
        CultureInfo previous = CultureInfo.CurrentCulture, previousUi = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentCulture = HostileCulture();
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture; // the runtime's own text in English
        try
        {
            var e = Assert.ThrowsAny<ArgumentException>(() => Fail(what));
            string message = e.Message.Replace("Infinity", "∞", StringComparison.Ordinal);
            Assert.DoesNotMatch("[⁂⁑⁓⁘]", message);
            Assert.Contains(number, message);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            CultureInfo.CurrentUICulture = previousUi;
        }
    }

    /// <summary>
    /// Every interpolated string in the library formats its holes with the invariant culture:
    /// <c>Invariant($"…")</c> (or <c>string.Create(CultureInfo.InvariantCulture, $"…")</c>). A string whose
    /// holes are all <c>nameof(…)</c> is a constant and needs neither. This reads the source, so a new
    /// message cannot slip past the behavioural test above by being one it does not call.
    /// </summary>
    [Fact]
    public void Library_EveryInterpolatedString_IsInvariant()
    {
        var offenders = new List<string>();
        foreach (var (file, text) in LibrarySources())
        {
            foreach (Match m in InterpolatedLiteral().Matches(text))
            {
                bool invariant = Regex.IsMatch(text[..m.Index], @"(Invariant\(\s*|InvariantCulture,\s*)$");
                bool constant = Regex.Matches(m.Value, @"(?<!\{)\{(?!\{)([^{}]*)\}").All(h => Regex.IsMatch(h.Groups[1].Value, @"^\s*nameof\([^()]*\)\s*$"));
                if (!invariant && !constant && !InComment(text, m.Index))
                {
                    offenders.Add(Where(file, text, m.Index));
                }
            }
        }

        Assert.True(offenders.Count == 0, $"{offenders.Count} interpolated strings format with the current culture:{Environment.NewLine}{string.Join(Environment.NewLine, offenders)}");
    }

    /// <summary>
    /// No <c>ArgumentOutOfRangeException</c> is given the actual value: the runtime appends
    /// "Actual value was …" to its message in the current culture, and our messages already say
    /// what was given, invariantly.
    /// </summary>
    [Fact]
    public void Library_NoArgumentOutOfRangeException_CarriesItsActualValue()
    {
        const string call = "new ArgumentOutOfRangeException(";
        var offenders = new List<string>();
        foreach (var (file, text) in LibrarySources())
        {
            for (int at = text.IndexOf(call, StringComparison.Ordinal); at >= 0; at = text.IndexOf(call, at + 1, StringComparison.Ordinal))
            {
                if (!InComment(text, at) && TopLevelArguments(text, at + call.Length - 1) == 3)
                {
                    offenders.Add(Where(file, text, at));
                }
            }
        }

        Assert.True(offenders.Count == 0, $"{offenders.Count} calls pass an actual value:{Environment.NewLine}{string.Join(Environment.NewLine, offenders)}");
    }

    /// <summary>The library's C# files (not build output) and their text.</summary>
    private static IEnumerable<(string File, string Text)> LibrarySources()
    {
        string src = Path.Combine(RepositoryRoot(), "src");
        char separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(src, f), File.ReadAllText(f)));
    }

    private static bool InComment(string text, int index)
    {
        int lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        return text[lineStart..index].TrimStart().StartsWith("//", StringComparison.Ordinal);
    }

    private static string Where(string file, string text, int index)
    {
        int line = text.AsSpan(0, index).Count('\n') + 1;
        int lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        int lineEnd = text.IndexOf('\n', index) is int end and >= 0 ? end : text.Length;
        return $"{file}:{line}: {text[lineStart..lineEnd].Trim()}";
    }

    /// <summary>How many arguments the call whose '(' is at <paramref name="open"/> has, skipping strings and nested brackets.</summary>
    private static int TopLevelArguments(string text, int open)
    {
        int depth = 0, commas = 0;
        for (int i = open; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '"' or '\'')
            {
                for (i++; i < text.Length && text[i] != c; i++)
                {
                    if (text[i] == '\\')
                    {
                        i++;
                    }
                }
            }
            else if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}' && --depth == 0)
            {
                return commas + 1;
            }
            else if (c == ',' && depth == 1)
            {
                commas++;
            }
        }

        return commas + 1;
    }

    /// <summary>A regular (not verbatim, not raw) interpolated literal, holes included.</summary>
    [GeneratedRegex("""(?<![@$])\$"(?:[^"\\{\n]|\\.|\{\{|\{(?:[^{}"\n]|"(?:[^"\\\n]|\\.)*")*\})*"(?!")""")]
    private static partial Regex InterpolatedLiteral();

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Autoencoder.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new DirectoryNotFoundException($"No Autoencoder.sln above {AppContext.BaseDirectory}.");
    }
}
