using ScottPlot;

namespace Autoencoder.Samples.Rendering;

/// <summary>The charts the samples draw with ScottPlot: loss curves, score histograms and latent scatter plots.</summary>
internal static class Charts
{
    /// <summary>Chart size in pixels.</summary>
    public const int Width = 640, Height = 420;

    /// <summary>Training and validation loss per epoch.</summary>
    /// <summary>
    /// Whether the graphics library finds any font: without one, charts are drawn without their
    /// text (titles, axes, legends). Debian's <c>fonts-dejavu-core</c> provides one.
    /// </summary>
    public static bool FontsAvailable => SkiaSharp.SKTypeface.Default.GlyphCount > 0;

    public static void LossCurve(string path, TrainingHistory history, string lossName)
    {
        var plot = new Plot();
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var train = plot.Add.Scatter(epochs, history.Epochs.Select(e => e.TrainLoss).ToArray());
        train.LegendText = "training";
        var withValidation = history.Epochs.Where(e => e.ValidationLoss.HasValue).ToArray();
        if (withValidation.Length > 0)
        {
            var validation = plot.Add.Scatter(
                withValidation.Select(e => (double)e.Epoch).ToArray(),
                withValidation.Select(e => e.ValidationLoss!.Value).ToArray());
            validation.LegendText = "validation";
        }

        plot.Title("Loss by epoch");
        plot.XLabel("epoch");
        plot.YLabel(lossName);
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path);
    }

    /// <summary>Histograms of two groups of scores on shared bins, with a vertical line at the threshold.</summary>
    public static void ScoreHistogram(string path, IReadOnlyList<double> normal, IReadOnlyList<double> novel, double threshold, int bins = 40)
    {
        double min = Math.Min(normal.Concat(novel).Min(), threshold);
        double max = Math.Max(normal.Concat(novel).Max(), threshold);
        double width = max > min ? (max - min) / bins : 1;
        var plot = new Plot();
        AddBars(plot, normal, min, width, bins, Colors.SteelBlue.WithAlpha(0.6), "normal (held out)");
        AddBars(plot, novel, min, width, bins, Colors.OrangeRed.WithAlpha(0.6), "novel");
        var line = plot.Add.VerticalLine(threshold, 2, Colors.Black, LinePattern.Dashed);
        line.LegendText = "threshold";
        plot.Title("Anomaly scores");
        plot.XLabel("reconstruction error (per-row MSE)");
        plot.YLabel("rows");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path);
    }

    /// <summary>Points coloured by class, with a legend naming each class; unlabeled points are one colour.</summary>
    public static void Scatter(string path, double[] x, double[] y, int[]? labels, Func<int, string> className, string xLabel, string yLabel)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        if (labels is null)
        {
            plot.Add.Markers(x, y, MarkerShape.FilledCircle, 3, palette.GetColor(0).WithAlpha(0.6));
        }
        else
        {
            foreach (int label in labels.Distinct().Order())
            {
                int[] rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).ToArray();
                var markers = plot.Add.Markers(
                    rows.Select(i => x[i]).ToArray(),
                    rows.Select(i => y[i]).ToArray(),
                    MarkerShape.FilledCircle,
                    3,
                    palette.GetColor(label).WithAlpha(0.6));
                markers.LegendText = className(label);
            }

            plot.ShowLegend(Edge.Right);
        }

        // A few far-out codes would squeeze the rest into a corner: the axes span the 1st to 99th
        // percentile of each coordinate, plus a margin.
        (double xLow, double xHigh) = CentralRange(x);
        (double yLow, double yHigh) = CentralRange(y);
        plot.Axes.SetLimits(xLow, xHigh, yLow, yHigh);
        plot.Title("Latent space of the test images");
        plot.XLabel(xLabel + " (axes: 1st–99th percentile)");
        plot.YLabel(yLabel);
        Save(plot, path, Width + 160);
    }

    private static (double Low, double High) CentralRange(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        double low = sorted[(int)(0.01 * (sorted.Length - 1))];
        double high = sorted[(int)Math.Ceiling(0.99 * (sorted.Length - 1))];
        double margin = high > low ? 0.08 * (high - low) : 1;
        return (low - margin, high + margin);
    }

    private static void AddBars(Plot plot, IReadOnlyList<double> values, double min, double width, int bins, Color color, string legend)
    {
        var counts = new double[bins];
        foreach (double v in values)
        {
            counts[Math.Clamp((int)((v - min) / width), 0, bins - 1)]++;
        }

        double[] centres = Enumerable.Range(0, bins).Select(i => min + ((i + 0.5) * width)).ToArray();
        var bars = plot.Add.Bars(centres, counts);
        foreach (var bar in bars.Bars)
        {
            bar.Size = width;
            bar.FillColor = color;
            bar.LineWidth = 0;
        }

        bars.LegendText = legend;
    }

    private static void Save(Plot plot, string path, int width = Width)
    {
        Png.CreateFolderFor(path);
        plot.SavePng(path, width, Height);
    }
}
