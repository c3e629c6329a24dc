using Autoencoder.Layers;

namespace Autoencoder.Tests.Layers;

public class DenseLayerTests
{
    [Fact]
    public void Forward_ComputesAffineMapThenActivation()
    {
        // W = [[1, 2], [3, 4], [5, 6]] (3 inputs × 2 outputs), b = [0.5, −100]; x = [1, 0, −1]
        // z = [1 − 5 + 0.5, 2 − 6 − 100] = [−3.5, −104]; relu → [0, 0]
        var layer = new DenseLayer("dense", 3, 2, Activation.Relu);
        layer.Place(parameterOffset: 1, stateOffset: 0);
        float[] parameters = [99f, 1, 2, 3, 4, 5, 6, 0.5f, -100f];
        var z = new float[2];
        var a = new float[2];
        layer.Forward(parameters, [1f, 0f, -1f], 1, z, a);
        Assert.Equal([-3.5f, -104f], z);
        Assert.Equal([0f, 0f], a);
    }

    [Fact]
    public void Backward_ComputesWeightBiasAndInputGradients()
    {
        // Two samples, 2 inputs, 1 output, W = [[2], [−1]]: dW = Xᵀ·dZ, db = Σ dZ, dX = dZ·Wᵀ
        var layer = new DenseLayer("dense", 2, 1, Activation.Identity);
        float[] parameters = [2f, -1f, 0f];
        float[] x = [1f, 2f, 3f, 4f];
        float[] dZ = [0.5f, -1f];
        var gradients = new float[3];
        var dX = new float[4];
        layer.BackwardFromPreActivation(parameters, x, dZ, 2, gradients, dX);
        Assert.Equal([1 * 0.5f + 3 * -1f, 2 * 0.5f + 4 * -1f, -0.5f], gradients);
        Assert.Equal([1f, -0.5f, -2f, 1f], dX);
    }

    [Fact]
    public void Backward_OverwritesGradientsInsteadOfAccumulating()
    {
        var layer = new DenseLayer("dense", 1, 1, Activation.Identity);
        float[] gradients = [123f, 456f];
        layer.BackwardFromPreActivation([1f, 0f], [2f], [3f], 1, gradients, default);
        Assert.Equal([6f, 3f], gradients);
    }
}
