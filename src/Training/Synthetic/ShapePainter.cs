using OpenCvSharp;

namespace Cluster.Training.Synthetic;

/// <summary>Draws a filled shape (anti-aliased) centred at a point, turned by an angle, wrapping around the frame edges.</summary>
internal static class ShapePainter
{
    public static void Draw(Mat frame, ShapeKind shape, Point2d centre, double radius, double angleDegrees, Scalar colour)
    {
        // Drawing the eight wrapped copies too makes a shape crossing an edge appear on the opposite side.
        for (int wrapX = -1; wrapX <= 1; wrapX++)
            for (int wrapY = -1; wrapY <= 1; wrapY++)
            {
                var at = new Point2d(centre.X + wrapX * frame.Cols, centre.Y + wrapY * frame.Rows);
                if (at.X + radius >= 0 && at.X - radius < frame.Cols && at.Y + radius >= 0 && at.Y - radius < frame.Rows)
                    DrawOnce(frame, shape, at, radius, angleDegrees, colour);
            }
    }

    private static void DrawOnce(Mat frame, ShapeKind shape, Point2d centre, double radius, double angle, Scalar colour)
    {
        switch (shape)
        {
            case ShapeKind.Circle:
                Cv2.Circle(frame, Round(centre), (int)radius, colour, -1, LineTypes.AntiAlias);
                break;
            case ShapeKind.Ring:
                Cv2.Circle(frame, Round(centre), (int)(radius * 0.8), colour, Math.Max(2, (int)(radius / 3)), LineTypes.AntiAlias);
                break;
            case ShapeKind.Cross:
                Polygon(frame, centre, radius, angle, colour, [(-1, -0.3), (1, -0.3), (1, 0.3), (-1, 0.3)]);
                Polygon(frame, centre, radius, angle, colour, [(-0.3, -1), (0.3, -1), (0.3, 1), (-0.3, 1)]);
                break;
            default:
                Polygon(frame, centre, radius, angle, colour, Outline(shape));
                break;
        }
    }

    private static (double X, double Y)[] Outline(ShapeKind shape) => shape switch
    {
        ShapeKind.Square => [(-0.75, -0.75), (0.75, -0.75), (0.75, 0.75), (-0.75, 0.75)],
        ShapeKind.Triangle => [(0, -1), (0.87, 0.5), (-0.87, 0.5)],
        ShapeKind.Diamond => [(0, -1), (0.6, 0), (0, 1), (-0.6, 0)],
        ShapeKind.Bar => [(-1, -0.35), (1, -0.35), (1, 0.35), (-1, 0.35)],
        ShapeKind.Hexagon => Enumerable.Range(0, 6)
            .Select(i => (Math.Cos(i * Math.PI / 3), Math.Sin(i * Math.PI / 3))).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "not a polygon"),
    };

    private static void Polygon(Mat frame, Point2d centre, double radius, double angleDegrees, Scalar colour,
        (double X, double Y)[] unitOutline)
    {
        double radians = angleDegrees * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        var points = unitOutline.Select(p => Round(new Point2d(
            centre.X + radius * (p.X * cos - p.Y * sin),
            centre.Y + radius * (p.X * sin + p.Y * cos))));
        Cv2.FillConvexPoly(frame, points, colour, LineTypes.AntiAlias);
    }

    private static Point Round(Point2d point) => new((int)Math.Round(point.X), (int)Math.Round(point.Y));
}
