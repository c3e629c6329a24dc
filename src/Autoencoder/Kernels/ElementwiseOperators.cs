using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

// Operator contracts for ElementwiseDriver, after TensorPrimitives' IUnaryOperator: each operator
// writes its math once per width, beside a scalar Invoke that the driver uses for the tail and for
// machines without SIMD. Operators are structs so the JIT specialises the driver loop for each one
// and inlines the math; instance fields carry constants such as a gradient scale.

/// <summary><c>y = f(x)</c> element-wise.</summary>
internal interface IUnaryOperator
{
    /// <summary>One element.</summary>
    float Invoke(float x);

    /// <summary>Four elements.</summary>
    Vector128<float> Invoke(Vector128<float> x);

    /// <summary>Eight elements.</summary>
    Vector256<float> Invoke(Vector256<float> x);

    /// <summary>Sixteen elements.</summary>
    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary><c>y = f(x, w)</c> element-wise (backward kernels: <c>dZ = f′(z or a) ⊙ dA</c>).</summary>
internal interface IBinaryOperator
{
    /// <summary>One element.</summary>
    float Invoke(float x, float w);

    /// <summary>Four elements.</summary>
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> w);

    /// <summary>Eight elements.</summary>
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> w);

    /// <summary>Sixteen elements.</summary>
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> w);
}

/// <summary><c>y = f(x, w, u)</c> element-wise.</summary>
internal interface ITernaryOperator
{
    /// <summary>One element.</summary>
    float Invoke(float x, float w, float u);

    /// <summary>Four elements.</summary>
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> w, Vector128<float> u);

    /// <summary>Eight elements.</summary>
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> w, Vector256<float> u);

    /// <summary>Sixteen elements.</summary>
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> w, Vector512<float> u);
}

/// <summary>
/// A term <c>f(x, y)</c> of a sum evaluated in double: the driver widens each float pair to double
/// lanes, so a vectorised loss sum keeps the accuracy of the scalar double loop it replaces.
/// </summary>
internal interface ISumOperator
{
    /// <summary>One term.</summary>
    double Invoke(double x, double y);

    /// <summary>Two terms.</summary>
    Vector128<double> Invoke(Vector128<double> x, Vector128<double> y);

    /// <summary>Four terms.</summary>
    Vector256<double> Invoke(Vector256<double> x, Vector256<double> y);

    /// <summary>Eight terms.</summary>
    Vector512<double> Invoke(Vector512<double> x, Vector512<double> y);
}

/// <summary>
/// A term <c>f(x, y, w)</c> of a sum evaluated in float lanes and accumulated in double by the
/// driver: for terms whose float rounding is far below what the sum is used for.
/// </summary>
internal interface IFloatSumOperator
{
    /// <summary>One term.</summary>
    float Invoke(float x, float y, float w);

    /// <summary>Four terms.</summary>
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> w);

    /// <summary>Eight terms.</summary>
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> w);

    /// <summary>Sixteen terms.</summary>
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> w);
}

/// <summary>
/// An optimizer update with one state buffer (SGD momentum): reads the gradient, rewrites the
/// parameter and the state in place.
/// </summary>
internal interface IOneStateUpdateOperator
{
    /// <summary>One element.</summary>
    void Invoke(ref float parameter, ref float state, float gradient);

    /// <summary>Four elements.</summary>
    void Invoke(ref Vector128<float> parameter, ref Vector128<float> state, Vector128<float> gradient);

    /// <summary>Eight elements.</summary>
    void Invoke(ref Vector256<float> parameter, ref Vector256<float> state, Vector256<float> gradient);

    /// <summary>Sixteen elements.</summary>
    void Invoke(ref Vector512<float> parameter, ref Vector512<float> state, Vector512<float> gradient);
}

/// <summary>
/// An optimizer update with two state buffers (Adam's moments): reads the gradient, rewrites the
/// parameter and both states in place.
/// </summary>
internal interface ITwoStateUpdateOperator
{
    /// <summary>One element.</summary>
    void Invoke(ref float parameter, ref float first, ref float second, float gradient);

    /// <summary>Four elements.</summary>
    void Invoke(ref Vector128<float> parameter, ref Vector128<float> first, ref Vector128<float> second, Vector128<float> gradient);

    /// <summary>Eight elements.</summary>
    void Invoke(ref Vector256<float> parameter, ref Vector256<float> first, ref Vector256<float> second, Vector256<float> gradient);

    /// <summary>Sixteen elements.</summary>
    void Invoke(ref Vector512<float> parameter, ref Vector512<float> first, ref Vector512<float> second, Vector512<float> gradient);
}
