using Autoencoder.Activations;

namespace Autoencoder.Tests.Activations;

public class ActivationFunctionsTests
{
    /// <summary>Float32 kernels against a double reference: a few units in the last place of the result.</summary>
    private const double ValueTolerance = 2e-6;

    /// <summary>
    /// Analytic derivative (float) against a double central difference with h = 1e-6: the
    /// difference quotient is accurate to ~1e-9, so the float rounding of the kernel dominates.
    /// </summary>
    private const double DerivativeTolerance = 2e-5;

    private static readonly float[] Points =
        [-30f, -10f, -4.5f, -2f, -1f, -0.5f, -0.1f, -1e-3f, -1e-6f, 1e-6f, 1e-3f, 0.1f, 0.5f, 1f, 2f, 4.5f, 10f, 30f];

    public static TheoryData<Activation> All() => new(Enum.GetValues<Activation>());

    [Theory]
    [MemberData(nameof(All))]
    public void Forward_MatchesDoubleReference(Activation activation)
    {
        var a = new float[Points.Length];
        ActivationFunctions.Forward(activation, Points, a);
        for (int i = 0; i < Points.Length; i++)
        {
            double expected = Reference.Activate(activation, Points[i]);
            double error = Math.Abs(a[i] - expected);
            Assert.True(
                error <= ValueTolerance * Math.Max(1, Math.Abs(expected)),
                $"{activation}({Points[i]}): expected {expected:R}, got {a[i]:R} (error {error:E2})");
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Backward_MatchesFiniteDifferences(Activation activation)
    {
        var z = Points;
        var a = new float[z.Length];
        ActivationFunctions.Forward(activation, z, a);
        float[] dA = TestData.Uniform(z.Length, seed: 11, low: 0.5f, high: 2f); // arbitrary upstream gradient
        var dZ = new float[z.Length];
        ActivationFunctions.Backward(activation, z, a, dA, dZ);
        for (int i = 0; i < z.Length; i++)
        {
            double expected = dA[i] * Reference.Derivative(v => Reference.Activate(activation, v), z[i]);
            double error = Math.Abs(dZ[i] - expected);
            Assert.True(
                error <= DerivativeTolerance * Math.Max(1, Math.Abs(expected)),
                $"{activation}'({z[i]}) · {dA[i]}: expected {expected:R}, got {dZ[i]:R} (error {error:E2})");
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void ForwardAndBackward_InPlace_MatchOutOfPlace(Activation activation)
    {
        float[] z = TestData.Uniform(257, seed: 3, low: -5f, high: 5f);
        var expectedA = new float[z.Length];
        ActivationFunctions.Forward(activation, z, expectedA);
        float[] inPlace = (float[])z.Clone();
        ActivationFunctions.Forward(activation, inPlace, inPlace);
        Assert.Equal(expectedA, inPlace);

        float[] dA = TestData.Uniform(z.Length, seed: 4);
        var expectedDz = new float[z.Length];
        ActivationFunctions.Backward(activation, z, expectedA, dA, expectedDz);
        float[] dInPlace = (float[])dA.Clone();
        ActivationFunctions.Backward(activation, z, expectedA, dInPlace, dInPlace);
        Assert.Equal(expectedDz, dInPlace);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void ForwardAndBackward_ExtremeInputs_StayFinite(Activation activation)
    {
        float[] z = [-1e30f, -1000f, -88.8f, -20f, 20f, 88.8f, 1000f, 1e30f, float.MaxValue, float.MinValue];
        var a = new float[z.Length];
        var dZ = new float[z.Length];
        ActivationFunctions.Forward(activation, z, a);
        ActivationFunctions.Backward(activation, z, a, Enumerable.Repeat(1f, z.Length).ToArray(), dZ);
        for (int i = 0; i < z.Length; i++)
        {
            // Identity, ReLU-family and softplus are unbounded above, so ±MaxValue maps to itself; only NaN is a defect.
            Assert.False(float.IsNaN(a[i]), $"{activation}({z[i]}) = NaN");
            Assert.False(float.IsNaN(dZ[i]), $"{activation}'({z[i]}) = NaN");
        }
    }

    [Fact]
    public void Sigmoid_Saturates_ToExactBounds()
    {
        var a = new float[2];
        ActivationFunctions.Forward(Activation.Sigmoid, [-200f, 200f], a);
        Assert.Equal(0f, a[0]);
        Assert.Equal(1f, a[1]);
    }

    [Fact]
    public void Relu_DerivativeAtZero_IsZero()
    {
        var dZ = new float[1];
        ActivationFunctions.Backward(Activation.Relu, [0f], [0f], [1f], dZ);
        Assert.Equal(0f, dZ[0]);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Name_RoundTripsThroughTryParse(Activation activation)
    {
        Assert.True(ActivationFunctions.TryParse(ActivationFunctions.Name(activation), out Activation parsed));
        Assert.Equal(activation, parsed);
        Assert.False(ActivationFunctions.TryParse("Relu", out _)); // names are exact, lower-case
    }
}
