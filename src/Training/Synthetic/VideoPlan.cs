using Cluster.Training.Data.Datasets;
using OpenCvSharp;

namespace Cluster.Training.Synthetic;

/// <summary>Everything random about one synthetic video, drawn from its own seed so videos can render in parallel.</summary>
internal sealed record VideoPlan(
    ShapeKind Shape, Trajectory Trajectory, double Radius, Scalar ShapeColour, Scalar BackgroundColour,
    ulong TextureSeed)
{
    public static VideoPlan Draw(SynthClass synthClass, SynthOptions options, int classIndex, int videoIndex)
    {
        var random = new Random(SampleSeed.Derive(options.Seed, classIndex, videoIndex));
        var shape = synthClass.Shape ?? Pick(random, SynthClass.RotationVisibleShapes);
        int size = options.Size;
        double radius = size * (0.20 + 0.10 * random.NextDouble());
        var trajectory = new Trajectory(
            synthClass.Motion,
            new Point2d(random.NextDouble() * size, random.NextDouble() * size),
            Orientation(random.NextDouble() * 360, synthClass, options),
            Speed: size / 32.0 * (0.8 + 0.4 * random.NextDouble()),
            size,
            Margin: options.MotionOnly ? 0 : radius);
        var background = new Scalar(Channel(random, 30, 130), Channel(random, 30, 130), Channel(random, 30, 130));
        var colour = new Scalar(Channel(random, 140, 255), Channel(random, 140, 255), Channel(random, 140, 255));
        return new VideoPlan(shape, trajectory, radius, colour, background, (ulong)random.NextInt64(1, long.MaxValue));
    }

    /// <summary>In the default mode shapes keep their upright outline unless the class rotates them, so a square, a
    /// diamond and a bar stay apart; motion-only videos get any orientation.</summary>
    private static double Orientation(double randomAngle, SynthClass synthClass, SynthOptions options) =>
        options.MotionOnly || synthClass.Motion is MotionKind.RotateClockwise or MotionKind.RotateAnticlockwise ? randomAngle : 0;

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static double Channel(Random random, int low, int high) => random.Next(low, high + 1);
}
