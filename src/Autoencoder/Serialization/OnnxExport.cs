using System.Globalization;
using System.Reflection;
using Autoencoder.Activations;
using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

/// <summary>
/// Writes a network (or its encoder or decoder) as an ONNX model with <see cref="ProtobufWriter"/>.
/// The graph is built by walking the network's pipeline: each layer appends its own nodes
/// (<see cref="Layers.Layer.EmitOnnx"/>), so a new layer kind needs nothing here. Field numbers are
/// those of <c>onnx.proto3</c>.
/// </summary>
internal static class OnnxExport
{
    /// <summary>Opset 17 (ONNX 1.12) has every operator used here; GELU is spelled out with Erf, which every runtime has.</summary>
    public const int Opset = 17;

    /// <summary>The IR version of ONNX 1.12, the release that introduced opset 17.</summary>
    public const long IrVersion = 8;

    public const string InputName = "input";
    public const string CodeName = "code";
    public const string ReconstructionName = "reconstruction";
    public const string BatchDimension = "batch";
    public const string ProducerName = "Autoencoder";

    // onnx.proto3 field numbers and enum values.
    private static class ModelProto
    {
        public const int IrVersion = 1, ProducerName = 2, ProducerVersion = 3, DocString = 6, Graph = 7, OpsetImport = 8;
    }

    private static class OperatorSetIdProto
    {
        public const int Domain = 1, Version = 2;
    }

    private static class GraphProto
    {
        public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12;
    }

    internal static class NodeProto
    {
        public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5;
    }

    internal static class AttributeProto
    {
        public const int Name = 1, F = 2, I = 3, S = 4, Ints = 8, Type = 20;
        public const int TypeFloat = 1, TypeInt = 2, TypeString = 3, TypeInts = 7;
    }

    internal static class TensorProto
    {
        public const int Dims = 1, DataType = 2, Int64Data = 7, Name = 8, RawData = 9;
        public const int Float = 1, Int64 = 7, Bool = 9;
    }

    private static class ValueInfoProto
    {
        public const int Name = 1, Type = 2;
    }

    private static class TypeProto
    {
        public const int TensorType = 1;
        public const int ElemType = 1, Shape = 2; // TypeProto.Tensor
        public const int Dim = 1; // TensorShapeProto
        public const int DimValue = 1, DimParam = 2; // TensorShapeProto.Dimension
    }

    public static void Write(AutoencoderModel model, OnnxGraph graph, Stream stream)
    {
        Network network = model.Network;
        var (first, end, input, output) = graph switch
        {
            OnnxGraph.Encoder => (0, network.EncoderEnd, InputName, CodeName),
            OnnxGraph.Decoder => (network.EncoderEnd, network.Layers.Count, CodeName, ReconstructionName),
            OnnxGraph.Autoencoder => (0, network.Layers.Count, InputName, ReconstructionName),
            _ => throw new ArgumentOutOfRangeException(nameof(graph), Invariant($"graph must be one of {string.Join(", ", Enum.GetNames<OnnxGraph>())}; got {graph}.")),
        };

        // Each layer appends its own inference nodes; the last one names its output after the graph's.
        var builder = new GraphBuilder();
        EmitLayers(builder, network, first, end, input, output);

        int inputWidth = network.Layers[first].InputSize;
        int outputWidth = network.Layers[end - 1].OutputSize;
        WriteModel(
            stream,
            builder,
            Invariant($"autoencoder_{graph.ToString().ToLowerInvariant()}"),
            Invariant($"{graph} of an autoencoder: {network.InputSize} inputs{(network.Spec.InputShape.IsVector ? "" : Invariant($" (images {network.Spec.InputShape}, channels-last)"))}, {network.LatentSize} latent units."),
            [new GraphValue(input, inputWidth, TensorProto.Float)],
            [new GraphValue(output, outputWidth, TensorProto.Float)]);
    }

    /// <summary>
    /// Emits the nodes of layers <c>[first, end)</c> of <paramref name="network"/> reading
    /// <paramref name="input"/> (rows of values, <c>[batch, size]</c>); returns the last output's
    /// name (<paramref name="output"/> when given), again <c>[batch, size]</c>. When the first layer
    /// reads images, the rows are reshaped to channels-last images and transposed to NCHW; when the
    /// last writes images, the reverse (see <see cref="OnnxDimensions"/>).
    /// </summary>
    public static string EmitLayers(GraphBuilder builder, Network network, int first, int end, string input, string? output, bool rowsOut = true)
    {
        string current = ToGraphLayout(builder, input, network.Layers[first].InputShape);
        LayerShape outputShape = network.Layers[end - 1].OutputShape;
        for (int l = first; l < end; l++)
        {
            bool last = l == end - 1 && (outputShape.IsVector || !rowsOut);
            current = network.Layers[l].EmitOnnx(builder, network.Parameters, network.State, current, last ? output : null);
        }

        return rowsOut ? ToRows(builder, current, outputShape, output ?? Invariant($"{network.Layers[end - 1].Name}/rows"), output) : current;
    }

    /// <summary>Rows of values (<c>[batch, size]</c>) in the graph's layout of <paramref name="shape"/>: unchanged for a vector, reshaped to channels-last images and transposed to NCHW for an image.</summary>
    public static string ToGraphLayout(GraphBuilder builder, string rows, LayerShape shape)
    {
        if (shape.IsVector)
        {
            return rows;
        }

        string target = builder.Int64Initializer(Invariant($"{rows}.image_shape"), [-1, shape.Height, shape.Width, shape.Channels]);
        string image = builder.Node("Reshape", Invariant($"{rows}/Reshape"), [rows, target], null);
        return builder.NodeWith("Transpose", Invariant($"{rows}/ToChannelsFirst"), [image], null, [OnnxAttribute.Ints("perm", 0, 3, 1, 2)]);
    }

    /// <summary>A tensor in the graph's layout of <paramref name="shape"/> as rows of values in channels-last order (<c>[batch, size]</c>), named <paramref name="output"/> when given; nodes named after <paramref name="prefix"/>.</summary>
    public static string ToRows(GraphBuilder builder, string tensor, LayerShape shape, string prefix, string? output)
    {
        if (shape.IsVector)
        {
            return output is null || output == tensor ? tensor : builder.Node("Identity", Invariant($"{prefix}/Identity"), [tensor], output);
        }

        string channelsLast = builder.NodeWith("Transpose", Invariant($"{prefix}/ToChannelsLast"), [tensor], null, [OnnxAttribute.Ints("perm", 0, 2, 3, 1)]);
        string target = builder.Int64Initializer(Invariant($"{prefix}.row_shape"), [-1, shape.Size]);
        return builder.Node("Reshape", Invariant($"{prefix}/Reshape"), [channelsLast, target], output);
    }

    /// <summary>
    /// One input or output of a graph: a tensor of element type <see cref="ElementType"/> (an
    /// <see cref="TensorProto"/> code) with a dynamic batch dimension and, when
    /// <see cref="Width"/> is positive, a second dimension of that size; or, when
    /// <see cref="Dimensions"/> is given, those dimensions after the batch (an image's
    /// <c>[channels, height, width]</c>).
    /// </summary>
    public readonly record struct GraphValue(string Name, int Width, int ElementType, long[]? Dimensions = null);

    /// <summary>
    /// The ONNX dimensions after the batch of a tensor of <paramref name="shape"/>: <c>[features]</c>
    /// for a vector, <c>[channels, height, width]</c> for an image. Inside an exported graph an image
    /// is NCHW (the layout of ONNX's Conv, Pool and Resize), while the library's own rows are
    /// channels-last; the graph converts where a shape changes between the two (see <see cref="ReshapeLayer"/>).
    /// </summary>
    public static long[] OnnxDimensions(LayerShape shape) =>
        shape.IsVector ? [shape.Channels] : [shape.Channels, shape.Height, shape.Width];

    /// <summary>
    /// Writes a graph of <paramref name="layers"/> alone (reading <c>input</c>, writing <c>output</c>,
    /// each with the ONNX layout of its shape, see <see cref="OnnxDimensions"/>): what tests compare
    /// one layer kind with ONNX Runtime through.
    /// </summary>
    public static void WriteLayers(Stream stream, IReadOnlyList<Layer> layers, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state)
    {
        var builder = new GraphBuilder();
        string current = "input";
        for (int l = 0; l < layers.Count; l++)
        {
            current = layers[l].EmitOnnx(builder, parameters, state, current, l == layers.Count - 1 ? "output" : null);
        }

        WriteModel(
            stream,
            builder,
            "layers",
            "Layers of an autoencoder.",
            [new GraphValue("input", 0, TensorProto.Float, OnnxDimensions(layers[0].InputShape))],
            [new GraphValue("output", 0, TensorProto.Float, OnnxDimensions(layers[^1].OutputShape))]);
    }

    /// <summary>Writes an ONNX model (IR version 8, opset 17) of <paramref name="builder"/>'s nodes and initializers.</summary>
    public static void WriteModel(Stream stream, GraphBuilder builder, string name, string doc, GraphValue[] inputs, GraphValue[] outputs)
    {
        var writer = new ProtobufWriter();
        writer.Int64(ModelProto.IrVersion, IrVersion);
        writer.String(ModelProto.ProducerName, ProducerName);
        writer.String(ModelProto.ProducerVersion, LibraryVersion);
        writer.String(ModelProto.DocString, doc);
        writer.Message(ModelProto.Graph, g =>
        {
            g.String(GraphProto.Name, name);
            builder.WriteNodesAndInitializers(g, GraphProto.Node, GraphProto.Initializer);
            foreach (GraphValue input in inputs)
            {
                g.Message(GraphProto.Input, v => ValueInfo(v, input));
            }

            foreach (GraphValue output in outputs)
            {
                g.Message(GraphProto.Output, v => ValueInfo(v, output));
            }
        });
        writer.Message(ModelProto.OpsetImport, o =>
        {
            o.String(OperatorSetIdProto.Domain, "");
            o.Int64(OperatorSetIdProto.Version, Opset);
        });
        writer.WriteTo(stream);
    }

    private static void ValueInfo(ProtobufWriter writer, GraphValue value)
    {
        writer.String(ValueInfoProto.Name, value.Name);
        writer.Message(ValueInfoProto.Type, type => type.Message(TypeProto.TensorType, tensor =>
        {
            tensor.Int64(TypeProto.ElemType, value.ElementType);
            tensor.Message(TypeProto.Shape, shape =>
            {
                shape.Message(TypeProto.Dim, d => d.String(TypeProto.DimParam, BatchDimension));
                if (value.Dimensions is long[] dimensions)
                {
                    foreach (long dimension in dimensions)
                    {
                        shape.Message(TypeProto.Dim, d => d.Int64(TypeProto.DimValue, dimension));
                    }
                }
                else if (value.Width > 0)
                {
                    shape.Message(TypeProto.Dim, d => d.Int64(TypeProto.DimValue, value.Width));
                }
            });
        }));
    }

    /// <summary>Collects nodes and initializers in order, naming each node's output after the node.</summary>
    internal sealed class GraphBuilder : IOnnxGraph
    {
        private readonly List<Action<ProtobufWriter>> _nodes = [];
        private readonly List<Action<ProtobufWriter>> _initializers = [];
        private readonly Dictionary<float, string> _scalars = [];

        public string Node(string opType, string name, string[] inputs, string? output, params (string Name, float Value)[] attributes)
        {
            string result = output ?? name;
            _nodes.Add(node =>
            {
                foreach (string input in inputs)
                {
                    node.String(NodeProto.Input, input);
                }

                node.String(NodeProto.Output, result);
                node.String(NodeProto.Name, name);
                node.String(NodeProto.OpType, opType);
                foreach (var (attributeName, value) in attributes)
                {
                    node.Message(NodeProto.Attribute, a =>
                    {
                        a.String(AttributeProto.Name, attributeName);
                        a.Float(AttributeProto.F, value);
                        a.Int64(AttributeProto.Type, AttributeProto.TypeFloat);
                    });
                }
            });
            return result;
        }

        public string NodeWith(string opType, string name, string[] inputs, string? output, OnnxAttribute[] attributes)
        {
            string result = output ?? name;
            _nodes.Add(node =>
            {
                foreach (string input in inputs)
                {
                    node.String(NodeProto.Input, input);
                }

                node.String(NodeProto.Output, result);
                node.String(NodeProto.Name, name);
                node.String(NodeProto.OpType, opType);
                foreach (OnnxAttribute attribute in attributes)
                {
                    node.Message(NodeProto.Attribute, a => WriteAttribute(a, attribute));
                }
            });
            return result;
        }

        private static void WriteAttribute(ProtobufWriter a, OnnxAttribute attribute)
        {
            a.String(AttributeProto.Name, attribute.Name);
            if (attribute.Single is float f)
            {
                a.Float(AttributeProto.F, f);
                a.Int64(AttributeProto.Type, AttributeProto.TypeFloat);
            }
            else if (attribute.Integer is long i)
            {
                a.Int64(AttributeProto.I, i);
                a.Int64(AttributeProto.Type, AttributeProto.TypeInt);
            }
            else if (attribute.Integers is long[] ints)
            {
                a.PackedInt64(AttributeProto.Ints, ints);
                a.Int64(AttributeProto.Type, AttributeProto.TypeInts);
            }
            else
            {
                a.String(AttributeProto.S, attribute.Text ?? "");
                a.Int64(AttributeProto.Type, AttributeProto.TypeString);
            }
        }

        public string Initializer(string name, long[] dims, ReadOnlyMemory<float> values)
        {
            _initializers.Add(tensor =>
            {
                tensor.PackedInt64(TensorProto.Dims, dims);
                tensor.Int64(TensorProto.DataType, TensorProto.Float);
                tensor.String(TensorProto.Name, name);
                tensor.FloatBytes(TensorProto.RawData, values.Span);
            });
            return name;
        }

        public string Int64Initializer(string name, long[] values)
        {
            _initializers.Add(tensor =>
            {
                tensor.PackedInt64(TensorProto.Dims, [values.LongLength]);
                tensor.Int64(TensorProto.DataType, TensorProto.Int64);
                tensor.String(TensorProto.Name, name);
                tensor.PackedInt64(TensorProto.Int64Data, values);
            });
            return name;
        }

        /// <summary>A float constant of shape [] (broadcast by Mul and Add), shared by every node that uses the value.</summary>
        public string Scalar(float value)
        {
            if (!_scalars.TryGetValue(value, out string? name))
            {
                name = Invariant($"const_{value.ToString("R", CultureInfo.InvariantCulture)}");
                _scalars[value] = name;
                Initializer(name, [], new[] { value });
            }

            return name;
        }

        public void WriteNodesAndInitializers(ProtobufWriter graph, int nodeField, int initializerField)
        {
            foreach (var node in _nodes)
            {
                graph.Message(nodeField, node);
            }

            foreach (var initializer in _initializers)
            {
                graph.Message(initializerField, initializer);
            }
        }
    }

    private static string LibraryVersion =>
        typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
