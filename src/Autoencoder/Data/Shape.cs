using System.Runtime.CompilerServices;

namespace Autoencoder.Data;

/// <summary>
/// One randomly placed figure of a <see cref="SyntheticShapes"/> class, described by its signed
/// distance function on a square canvas whose pixel (x, y) has its centre at (x + ½, y + ½).
/// </summary>
internal readonly struct Shape
{
    private const double Margin = 1;

    // Unit vectors from the centre to the vertices of an upright equilateral triangle.
    private const double Sin60 = 0.8660254037844386;

    private readonly int _kind;
    private readonly double _cx, _cy, _a, _b, _width;
    private readonly double _ux, _uy, _vx, _vy, _wx, _wy;

    private Shape(int kind, double cx, double cy, double a, double b, double width, double ux = 0, double uy = 0, double vx = 0, double vy = 0, double wx = 0, double wy = 0)
    {
        _kind = kind;
        _cx = cx;
        _cy = cy;
        _a = a;
        _b = b;
        _width = width;
        _ux = ux;
        _uy = uy;
        _vx = vx;
        _vy = vy;
        _wx = wx;
        _wy = wy;
    }

    /// <summary>Draws the size, position and stroke of a figure of class <paramref name="kind"/> (see <see cref="SyntheticShapes.ClassNames"/>) that fits inside a <paramref name="size"/>-pixel canvas.</summary>
    public static Shape Random(int kind, Random rng, int size)
    {
        switch (kind)
        {
            case 0: // disc
            {
                double r = Uniform(rng, 4, 9);
                return new Shape(kind, Position(rng, size, r), Position(rng, size, r), r, 0, 0);
            }

            case 1: // ring
            {
                double r = Uniform(rng, 5, 10), w = Uniform(rng, 1.5, 3.5);
                double extent = r + (w / 2);
                return new Shape(kind, Position(rng, size, extent), Position(rng, size, extent), r, 0, w);
            }

            case 2: // filled square
            {
                double h = Uniform(rng, 4, 9);
                return new Shape(kind, Position(rng, size, h), Position(rng, size, h), h, h, 0);
            }

            case 3: // square outline
            {
                double h = Uniform(rng, 5, 10), w = Uniform(rng, 1.5, 3.5);
                double extent = h + (w / 2);
                return new Shape(kind, Position(rng, size, extent), Position(rng, size, extent), h, h, w);
            }

            case 4: // filled equilateral triangle, any rotation
            {
                double r = Uniform(rng, 7, 12);
                (double c, double s) = Direction(rng);
                (double ux, double uy) = Rotate(0, -1, c, s);
                (double vx, double vy) = Rotate(Sin60, 0.5, c, s);
                (double wx, double wy) = Rotate(-Sin60, 0.5, c, s);
                // Outside a corner the edge-line distance grows at half the true rate, so the
                // soft edge reaches one pixel past a vertex instead of half a pixel.
                double extent = r + 0.5;
                return new Shape(kind, Position(rng, size, extent), Position(rng, size, extent), r, 0, 0, ux, uy, vx, vy, wx, wy);
            }

            case 5: // horizontal bar
            case 6: // vertical bar
            {
                double length = Uniform(rng, 6, 12), thickness = Uniform(rng, 1, 2.5);
                (double hx, double hy) = kind == 5 ? (length, thickness) : (thickness, length);
                return new Shape(kind, Position(rng, size, hx), Position(rng, size, hy), hx, hy, 0);
            }

            case 7: // plus
            {
                double length = Uniform(rng, 5, 11), thickness = Uniform(rng, 1, 2.5);
                return new Shape(kind, Position(rng, size, length), Position(rng, size, length), length, thickness, 0);
            }

            case 8: // diagonal line, rising or falling, slope between 0.7 and 1.3 in magnitude
            {
                double halfLength = Uniform(rng, 7, 13), halfWidth = Uniform(rng, 0.75, 2);
                double slope = (rng.Next(2) == 0 ? -1 : 1) * Uniform(rng, 0.7, 1.3);
                double norm = Math.Sqrt(1 + (slope * slope));
                double ux = halfLength / norm, uy = halfLength * slope / norm;
                double cx = Position(rng, size, Math.Abs(ux) + halfWidth);
                double cy = Position(rng, size, Math.Abs(uy) + halfWidth);
                return new Shape(kind, cx, cy, 0, 0, halfWidth, cx - ux, cy - uy, cx + ux, cy + uy);
            }

            case 9: // two dots of equal size, clearly apart
            {
                double r = Uniform(rng, 2, 4);
                double x1 = Position(rng, size, r), y1 = Position(rng, size, r);
                double minDistance = (2 * r) + 3;
                for (int attempt = 0; attempt < 1000; attempt++)
                {
                    double x2 = Position(rng, size, r), y2 = Position(rng, size, r);
                    double dx = x2 - x1, dy = y2 - y1;
                    if ((dx * dx) + (dy * dy) >= minDistance * minDistance)
                    {
                        return new Shape(kind, x1, y1, r, 0, 0, x2, y2);
                    }
                }

                // Practically unreachable; the opposite corner is always far enough.
                double far = size - Margin - r;
                return new Shape(kind, x1, y1, r, 0, 0, x1 < size / 2.0 ? far : Margin + r, y1 < size / 2.0 ? far : Margin + r);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), Invariant($"Shape class must be 0 to {SyntheticShapes.ClassCount - 1}; got {kind}."));
        }
    }

    /// <summary>Signed distance from (<paramref name="x"/>, <paramref name="y"/>) to the figure, in pixels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Distance(double x, double y) => _kind switch
    {
        0 => SignedDistance.Disc(x, y, _cx, _cy, _a),
        1 => SignedDistance.Outline(SignedDistance.Disc(x, y, _cx, _cy, _a), _width),
        2 or 5 or 6 => SignedDistance.Box(x, y, _cx, _cy, _a, _b),
        3 => SignedDistance.Outline(SignedDistance.Box(x, y, _cx, _cy, _a, _b), _width),
        4 => TriangleDistance(x, y),
        7 => Math.Min(SignedDistance.Box(x, y, _cx, _cy, _a, _b), SignedDistance.Box(x, y, _cx, _cy, _b, _a)),
        8 => SignedDistance.Capsule(x, y, _ux, _uy, _vx, _vy, _width),
        _ => Math.Min(SignedDistance.Disc(x, y, _cx, _cy, _a), SignedDistance.Disc(x, y, _ux, _uy, _a)),
    };

    /// <summary>
    /// Distance to the triangle as the largest distance to its three edge lines (exact inside and
    /// along the edges, slightly short near the outside of corners, which only sharpens the corners).
    /// The edge opposite a vertex has its outward normal pointing away from that vertex, at
    /// distance r/2 from the centre.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double TriangleDistance(double x, double y)
    {
        double px = x - _cx, py = y - _cy;
        double e1 = -((px * _ux) + (py * _uy));
        double e2 = -((px * _vx) + (py * _vy));
        double e3 = -((px * _wx) + (py * _wy));
        return Math.Max(e1, Math.Max(e2, e3)) - (_a / 2);
    }

    private static double Uniform(Random rng, double low, double high) => low + ((high - low) * rng.NextDouble());

    /// <summary>A centre coordinate that keeps a figure reaching <paramref name="extent"/> from its centre inside the canvas margin.</summary>
    private static double Position(Random rng, int size, double extent) =>
        Uniform(rng, Margin + extent, size - Margin - extent);

    /// <summary>A uniformly random unit vector, drawn by rejection so that no trigonometric function is needed.</summary>
    private static (double Cos, double Sin) Direction(Random rng)
    {
        while (true)
        {
            double x = (2 * rng.NextDouble()) - 1, y = (2 * rng.NextDouble()) - 1;
            double lengthSquared = (x * x) + (y * y);
            if (lengthSquared is > 0.01 and <= 1)
            {
                double length = Math.Sqrt(lengthSquared);
                return (x / length, y / length);
            }
        }
    }

    private static (double X, double Y) Rotate(double x, double y, double cos, double sin) =>
        ((x * cos) - (y * sin), (x * sin) + (y * cos));
}
