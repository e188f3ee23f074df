using OpenCvSharp;

namespace Cluster.Training.Synthetic;

/// <summary>
/// Renders the frames of one planned video (BGR, uint8): a smooth random texture around the background colour,
/// the moving shape, and fresh pixel noise in every frame.
/// </summary>
internal static class ClipRenderer
{
    private const int TextureCells = 6;
    private const double TextureSpread = 20;
    private const double NoiseSpread = 10;

    public static List<Mat> Render(VideoPlan plan, int frameCount, int size)
    {
        var rng = new RNG(plan.TextureSeed);
        using var background = Texture(plan.BackgroundColour, size, ref rng);
        var frames = new List<Mat>(frameCount);
        using var noise = new Mat(size, size, MatType.CV_8UC3);
        for (int t = 0; t < frameCount; t++)
        {
            var frame = background.Clone();
            ShapePainter.Draw(frame, plan.Shape, plan.Trajectory.PositionAt(t), plan.Radius, plan.Trajectory.AngleAt(t), plan.ShapeColour);
            rng.Fill(noise, DistributionType.Uniform, InputArray.Create(128 - NoiseSpread), InputArray.Create(128 + NoiseSpread));
            Cv2.AddWeighted(frame, 1, noise, 1, -128, frame);
            frames.Add(frame);
        }
        return frames;
    }

    private static Mat Texture(Scalar colour, int size, ref RNG rng)
    {
        using var cells = new Mat(TextureCells, TextureCells, MatType.CV_8UC3);
        rng.Fill(cells, DistributionType.Uniform,
            InputArray.Create(new Scalar(colour.Val0 - TextureSpread, colour.Val1 - TextureSpread, colour.Val2 - TextureSpread)),
            InputArray.Create(new Scalar(colour.Val0 + TextureSpread, colour.Val1 + TextureSpread, colour.Val2 + TextureSpread)));
        var texture = new Mat();
        Cv2.Resize(cells, texture, new Size(size, size), 0, 0, InterpolationFlags.Cubic);
        return texture;
    }
}
