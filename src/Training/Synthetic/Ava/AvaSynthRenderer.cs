using OpenCvSharp;

namespace Cluster.Training.Synthetic;

/// <summary>Draws the frames of a synthetic AVA video: a static textured background, each person as a filled
/// rectangle, and during cue seconds a marker in the scene's colour over each person's upper body.</summary>
internal static class AvaSynthRenderer
{
    /// <summary>Marker colours (BGR) of scenes red, green and blue.</summary>
    public static readonly Scalar[] SceneColours = [new(0, 0, 255), new(0, 255, 0), new(255, 0, 0)];

    public static Mat Background(AvaSynthVideo video)
    {
        var random = new Random(video.TextureSeed);
        var pixels = new byte[video.Size * video.Size * 3];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Clamp(video.Background[i % 3] + random.Next(-12, 13), 0, 255);
        return Mat.FromPixelData(video.Size, video.Size, MatType.CV_8UC3, pixels).Clone();
    }

    public static Mat Render(AvaSynthVideo video, Mat background, int frame)
    {
        var image = background.Clone();
        bool marker = video.MarkerVisible(frame);
        foreach (var person in video.Persons)
        {
            int x = person.X[frame], y = person.Y[frame];
            Cv2.Rectangle(image, new Rect(x, y, person.Width, person.Height), person.Colour, thickness: -1);
            // The marker covers the upper half of the body, so the scene is a large part of a person's pooled RoI
            // feature: with a square of half the body's width, LFB models trained on banks gained nothing on the scene
            // classes in the LFB comparison (Cluster.Training.Lfb.Comparison).
            if (marker)
                Cv2.Rectangle(image, new Rect(x, y, person.Width, Math.Max(2, person.Height / 2)), SceneColours[video.Scene], thickness: -1);
        }
        return image;
    }
}
