using Cluster.Training.Data.Ava;

namespace Cluster.Training.Data.Detection;

/// <summary>
/// The RoIs of one sample while it goes through its pipeline. <see cref="Boxes"/> stay normalised to the current
/// frames (so a resize leaves them as they are; flips and crops map them), and become input pixels only when the
/// sample is packed. <see cref="Source"/> keeps the boxes as the files gave them, for evaluation and feature banks.
/// </summary>
public sealed class SampleRois
{
    public SampleRois(AvaKey key, IReadOnlyList<AvaRoi> rois, int numClasses)
    {
        Key = key;
        Source = rois.Select(roi => roi.Box).ToArray();
        Boxes = [.. Source];
        Actions = rois.Select(roi => roi.Actions).ToArray();
        NumClasses = numClasses;
        foreach (var action in Actions.SelectMany(actions => actions))
            if (action < 0 || action >= numClasses)
                throw new ArgumentException($"{key}: action {action} is outside 0..{numClasses - 1}");
    }

    public AvaKey Key { get; }
    public IReadOnlyList<NormalizedBox> Source { get; }
    public NormalizedBox[] Boxes { get; }
    public IReadOnlyList<int[]> Actions { get; }
    public int NumClasses { get; }
    public int Count => Boxes.Length;

    public void Map(Func<NormalizedBox, NormalizedBox> map)
    {
        for (int i = 0; i < Boxes.Length; i++)
            Boxes[i] = map(Boxes[i]);
    }

    /// <summary>Boxes in pixels of inputs <paramref name="width"/> × <paramref name="height"/>, multi-hot labels.</summary>
    public PackedRois Pack(int width, int height)
    {
        var pixels = new float[Count * 4];
        var labels = new float[Count * NumClasses];
        for (int i = 0; i < Count; i++)
        {
            var box = Boxes[i];
            pixels[i * 4] = box.X1 * width;
            pixels[i * 4 + 1] = box.Y1 * height;
            pixels[i * 4 + 2] = box.X2 * width;
            pixels[i * 4 + 3] = box.Y2 * height;
            foreach (int action in Actions[i])
                labels[i * NumClasses + action] = 1f;
        }
        var info = Source.Select(box => new RoiInfo(Key, box, 0)).ToArray();
        return new PackedRois(pixels, labels, NumClasses, info);
    }
}

/// <summary>One sample's RoIs ready to collate: boxes [R·4] in input pixels, labels [R·K] multi-hot, and their info
/// (batch row 0 until collation places the sample).</summary>
public sealed record PackedRois(float[] Boxes, float[] Labels, int NumClasses, IReadOnlyList<RoiInfo> Info)
{
    public int Count => Info.Count;
}
