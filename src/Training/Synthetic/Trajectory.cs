using OpenCvSharp;

namespace Cluster.Training.Synthetic;

/// <summary>
/// Where a shape is and how it is turned at frame t. With <see cref="Margin"/> 0 positions wrap around the frame (a
/// shape leaving one edge re-enters at the opposite one), so with a uniform random start every frame's position is
/// uniform whatever the direction or speed: single frames carry no motion information (the motion-only mode). With a
/// margin the shape bounces off the edges and stays whole in every frame (the default mode, where shape is a cue).
/// </summary>
internal readonly record struct Trajectory(MotionKind Motion, Point2d Start, double StartAngle, double Speed, int FrameSize,
    double Margin = 0)
{
    private const double DegreesPerFrame = 9;

    public Point2d PositionAt(int t)
    {
        var (dx, dy) = Motion switch
        {
            MotionKind.MoveRight or MotionKind.MoveRightFast => (1, 0),
            MotionKind.MoveLeft or MotionKind.MoveLeftFast => (-1, 0),
            MotionKind.MoveDown or MotionKind.MoveDownFast => (0, 1),
            MotionKind.MoveUp or MotionKind.MoveUpFast => (0, -1),
            _ => (0, 0),
        };
        double step = Speed * (IsFast ? 2 : 1) * t;
        return new Point2d(Wrap(Start.X + dx * step), Wrap(Start.Y + dy * step));
    }

    public double AngleAt(int t) => Motion switch
    {
        MotionKind.RotateClockwise => StartAngle + DegreesPerFrame * t,
        MotionKind.RotateAnticlockwise => StartAngle - DegreesPerFrame * t,
        _ => StartAngle,
    };

    private bool IsFast => Motion is MotionKind.MoveRightFast or MotionKind.MoveLeftFast
        or MotionKind.MoveDownFast or MotionKind.MoveUpFast;

    private double Wrap(double value)
    {
        if (Margin <= 0) return ((value % FrameSize) + FrameSize) % FrameSize;
        double span = FrameSize - 2 * Margin;
        double folded = (((value - Margin) % (2 * span)) + 2 * span) % (2 * span);
        return Margin + (folded <= span ? folded : 2 * span - folded);
    }
}
