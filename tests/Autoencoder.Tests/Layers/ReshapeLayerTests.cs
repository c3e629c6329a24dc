using Autoencoder.Layers;

namespace Autoencoder.Tests.Layers;

/// <summary>Flatten and reshape between vectors and channels-last images: the values stay in place.</summary>
public class ReshapeLayerTests
{
    [Fact]
    public void Flatten_CopiesForwardAndBackward_AndKeepsTheOrder()
    {
        var layer = new ReshapeLayer("flatten", LayerShape.Image(2, 3, 2), LayerShape.Vector(12));
        Assert.Equal("flatten", layer.Kind);
        Assert.Equal(0, layer.ParameterCount);
        Assert.True(layer.IdentityAtInference);
        float[] x = Enumerable.Range(0, 24).Select(i => (float)i).ToArray();
        var y = new float[24];
        var random = new Pcg32(1, 1);
        var forward = new ForwardPass(2, [], [], [], [], ref random);
        layer.Forward(ref forward, x, y, []);
        Assert.Equal(x, y);

        var dX = new float[24];
        var backward = new BackwardPass(2, [], [], 1, [], 0);
        float[] dY = x.Select(v => -v).ToArray();
        layer.Backward(ref backward, x, y, [], dY, dX);
        Assert.Equal(dY, dX);
    }

    [Fact]
    public void Constructor_DifferentSizes_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReshapeLayer("bad", LayerShape.Image(28, 28, 1), LayerShape.Vector(783)));
        Assert.Contains("(28, 28, 1) holds 784 and (783) holds 783", e.Message);
    }

    [Fact]
    public void EmitOnnx_ReshapesToTheBatchAndTheTargetShape()
    {
        var graph = new RecordingGraph();
        string output = new ReshapeLayer("decoder.2", LayerShape.Vector(784), LayerShape.Image(28, 28, 1)).EmitOnnx(graph, default, default, "h", null);
        // Channels-last values, then NCHW, the layout of images inside a graph.
        Assert.Equal("decoder.2/ToChannelsFirst", output);
        Assert.Equal([("Reshape", "decoder.2/Reshape", "h,decoder.2.shape"), ("Transpose", "decoder.2/ToChannelsFirst", "decoder.2/Reshape")], graph.Nodes);
        Assert.Equal([-1L, 28, 28, 1], graph.Int64s["decoder.2.shape"]);
    }

    [Fact]
    public void EmitOnnx_Flatten_TransposesTheImageToChannelsLastFirst()
    {
        var graph = new RecordingGraph();
        string output = new ReshapeLayer("encoder.3", LayerShape.Image(4, 4, 8), LayerShape.Vector(128)).EmitOnnx(graph, default, default, "p", "code");
        Assert.Equal("code", output);
        Assert.Equal([("Transpose", "encoder.3/ToChannelsLast", "p"), ("Reshape", "encoder.3/Reshape", "encoder.3/ToChannelsLast,encoder.3.shape")], graph.Nodes);
        Assert.Equal([-1L, 128], graph.Int64s["encoder.3.shape"]);
    }

    [Fact]
    public void LayerShape_PrintsLikeKeras_AndRefusesEmptyShapes()
    {
        Assert.Equal("(128)", LayerShape.Vector(128).ToString());
        Assert.Equal("(28, 28, 1)", LayerShape.Image(28, 28, 1).ToString());
        Assert.Equal(784, LayerShape.Image(28, 28, 1).Size);
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerShape.Image(0, 28, 1));
        Assert.Throws<ArgumentException>(() => LayerShape.Image(65536, 65536, 1));
    }

    private sealed class RecordingGraph : IOnnxGraph
    {
        public List<(string Op, string Name, string Inputs)> Nodes { get; } = [];

        public Dictionary<string, long[]> Int64s { get; } = [];

        public string Node(string opType, string name, string[] inputs, string? output, params (string Name, float Value)[] attributes)
        {
            Nodes.Add((opType, name, string.Join(",", inputs)));
            return output ?? name;
        }

        public string NodeWith(string opType, string name, string[] inputs, string? output, OnnxAttribute[] attributes)
        {
            Nodes.Add((opType, name, string.Join(",", inputs)));
            return output ?? name;
        }

        public string Initializer(string name, long[] dims, ReadOnlyMemory<float> values) => name;

        public string Int64Initializer(string name, long[] values)
        {
            Int64s[name] = values;
            return name;
        }

        public string Scalar(float value) => "scalar";
    }
}
