namespace Autoencoder.Data;

/// <summary>
/// Signed distances from a point to simple plane figures (negative inside, positive outside,
/// in pixel units), and the anti-aliased pixel coverage of a distance.
/// </summary>
/// <remarks>
/// Only additions, multiplications, divisions, <see cref="Math.Sqrt(double)"/>,
/// <see cref="Math.Abs(double)"/>, <see cref="Math.Min(double, double)"/> and
/// <see cref="Math.Max(double, double)"/> are used: these are exactly rounded under IEEE 754, so
/// the results are the same on every platform.
/// </remarks>
internal static class SignedDistance
{
    /// <summary>Distance to a disc of radius <paramref name="r"/> centred at (<paramref name="cx"/>, <paramref name="cy"/>).</summary>
    public static double Disc(double x, double y, double cx, double cy, double r)
    {
        double dx = x - cx, dy = y - cy;
        return Math.Sqrt((dx * dx) + (dy * dy)) - r;
    }

    /// <summary>Distance to an axis-aligned rectangle with half-extents <paramref name="hx"/>, <paramref name="hy"/>.</summary>
    public static double Box(double x, double y, double cx, double cy, double hx, double hy)
    {
        double qx = Math.Abs(x - cx) - hx;
        double qy = Math.Abs(y - cy) - hy;
        double ox = Math.Max(qx, 0), oy = Math.Max(qy, 0);
        return Math.Sqrt((ox * ox) + (oy * oy)) + Math.Min(Math.Max(qx, qy), 0);
    }

    /// <summary>Distance to the segment from (<paramref name="ax"/>, <paramref name="ay"/>) to (<paramref name="bx"/>, <paramref name="by"/>) thickened by <paramref name="halfWidth"/> (a capsule).</summary>
    public static double Capsule(double x, double y, double ax, double ay, double bx, double by, double halfWidth)
    {
        double px = x - ax, py = y - ay;
        double vx = bx - ax, vy = by - ay;
        double t = Math.Clamp(((px * vx) + (py * vy)) / ((vx * vx) + (vy * vy)), 0, 1);
        double dx = px - (t * vx), dy = py - (t * vy);
        return Math.Sqrt((dx * dx) + (dy * dy)) - halfWidth;
    }

    /// <summary>Turns a filled figure's distance into a stroke of width <paramref name="width"/> along its outline.</summary>
    public static double Outline(double distance, double width) => Math.Abs(distance) - (width / 2);

    /// <summary>
    /// The fraction of a unit pixel covered by a figure whose edge is at <paramref name="distance"/>
    /// from the pixel centre: 1 well inside, 0 well outside, a linear ramp across the edge.
    /// </summary>
    public static double Coverage(double distance) => Math.Clamp(0.5 - distance, 0, 1);
}
