namespace Cluster.Training.Synthetic;

public enum ShapeKind { Circle, Square, Triangle, Cross, Diamond, Ring, Bar, Hexagon }

public enum MotionKind
{
    MoveRight, MoveLeft, MoveDown, MoveUp, RotateClockwise, RotateAnticlockwise,
    MoveRightFast, MoveLeftFast, MoveDownFast, MoveUpFast,
}

/// <summary>One class of the synthetic dataset: a motion, and in the default mode also a shape.</summary>
public sealed record SynthClass(string Name, MotionKind Motion, ShapeKind? Shape)
{
    /// <summary>Shapes that look different when rotated, so rotation is visible whatever shape a video gets.</summary>
    internal static readonly ShapeKind[] RotationVisibleShapes =
        [ShapeKind.Square, ShapeKind.Triangle, ShapeKind.Cross, ShapeKind.Diamond, ShapeKind.Bar];

    /// <summary>
    /// The class list. Motion-only: one class per motion kind. Default: class k has shape k mod 8 and a motion that
    /// changes with each pass over the shapes, so up to 8 classes differ by shape alone.
    /// </summary>
    public static IReadOnlyList<SynthClass> Catalogue(int count, bool motionOnly)
    {
        var shapes = Enum.GetValues<ShapeKind>();
        var motions = Enum.GetValues<MotionKind>();
        int available = motionOnly ? motions.Length : shapes.Length * motions.Length;
        if (count > available)
            throw new ArgumentException($"SynthOptions.Classes: at most {available} classes in this mode, asked for {count}");
        return Enumerable.Range(0, count).Select(k =>
        {
            if (motionOnly)
                return new SynthClass(motions[k].ToString(), motions[k], null);
            var shape = shapes[k % shapes.Length];
            var motion = motions[(k / shapes.Length + k) % motions.Length];
            return new SynthClass($"{shape}{motion}", motion, shape);
        }).ToList();
    }
}
