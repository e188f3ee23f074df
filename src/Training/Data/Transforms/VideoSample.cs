using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Decoding;
using Cluster.Training.Data.Detection;
using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Data.Transforms;

/// <summary>
/// The state of one sample as it flows through a pipeline: MMAction2's <c>results</c> dict with typed keys.
/// Frames (<see cref="Imgs"/>) are HWC OpenCV matrices, RGB, uint8 until <c>Normalize</c> makes them float32.
/// </summary>
public sealed class VideoSample(int datasetIndex, Random random) : IDisposable
{
    private List<Mat> imgs = [];

    public int DatasetIndex { get; } = datasetIndex;

    /// <summary>This sample's own random source, seeded from (seed, epoch, dataset index).</summary>
    public Random Random { get; } = random;

    // Annotation keys.
    public string? Filename { get; set; }
    public string? FrameDir { get; set; }
    public string FilenameTmpl { get; set; } = "img_{:05}.jpg";
    public int Offset { get; set; }
    public int StartIndex { get; set; }
    public int TotalFrames { get; set; }
    public string Modality { get; set; } = "RGB";
    public int[] Labels { get; set; } = [];

    // Sampling keys.
    public int[] FrameInds { get; set; } = [];
    public int ClipLen { get; set; } = 1;
    public int NumClips { get; set; } = 1;

    public OpenCvVideoReader? VideoReader { get; set; }

    // Detection keys (AVADataset): the keyframe's place in the video, and the RoIs that follow the frames.
    public AvaClipTiming? Keyframe { get; set; }
    public SampleRois? Rois { get; set; }

    public IReadOnlyList<Mat> Imgs => imgs;

    /// <summary>(height, width) of the current frames.</summary>
    public (int Height, int Width) ImgShape => imgs.Count == 0
        ? throw new InvalidOperationException("no frames decoded yet: put a decode transform first")
        : (imgs[0].Rows, imgs[0].Cols);

    public bool Flip { get; set; }

    /// <summary>Set by <c>FormatShape</c>: [M, C, H, W] or [M, C, T, H, W].</summary>
    public Tensor? Inputs { get; set; }

    /// <summary>Replaces the frames, disposing the previous ones.</summary>
    public void ReplaceImgs(List<Mat> replacement)
    {
        var keep = new HashSet<Mat>(replacement, ReferenceEqualityComparer.Instance);
        foreach (var old in imgs)
            if (!keep.Contains(old))
                old.Dispose();
        imgs = replacement;
    }

    /// <summary>Hands the packed input tensor to the caller, who then owns it.</summary>
    public Tensor TakeInputs()
    {
        var inputs = Inputs ?? throw new InvalidOperationException("sample has no inputs: FormatShape did not run");
        Inputs = null;
        return inputs;
    }

    public void Dispose()
    {
        ReplaceImgs([]);
        VideoReader?.Dispose();
        VideoReader = null;
        Inputs?.Dispose();
        Inputs = null;
    }
}
