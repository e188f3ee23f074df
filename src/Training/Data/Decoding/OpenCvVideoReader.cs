using OpenCvSharp;

namespace Cluster.Training.Data.Decoding;

/// <summary>
/// Reads chosen frames of a video with OpenCV's <see cref="VideoCapture"/> (FFmpeg backend: mp4, avi, ...).
/// Frames are visited in ascending order; short gaps are skipped with <c>Grab</c> (no colour conversion), long gaps
/// with a seek, so only what is needed gets decoded. Frames come back RGB.
/// </summary>
public sealed class OpenCvVideoReader : IDisposable
{
    /// <summary>Gaps longer than this are crossed by seeking instead of grabbing frame by frame.</summary>
    private const int SeekThreshold = 24;

    private readonly VideoCapture capture;
    private int nextFrame;

    public OpenCvVideoReader(string path)
    {
        if (!File.Exists(path))
            throw new InvalidMediaException(path, "video file not found");
        Path = path;
        capture = new VideoCapture(path);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new InvalidMediaException(path, "video file could not be opened (corrupt or unsupported)");
        }
        TotalFrames = (int)capture.Get(VideoCaptureProperties.FrameCount);
        AverageFps = capture.Get(VideoCaptureProperties.Fps);
        if (TotalFrames <= 0)
        {
            capture.Dispose();
            throw new InvalidMediaException(path, "video has no frames (corrupt or unsupported)");
        }
    }

    public string Path { get; }
    public int TotalFrames { get; }
    public double AverageFps { get; }

    /// <summary>
    /// Frames at the given 0-based indices, in the given order (repeated indices give separate copies). Like
    /// mmcv's reader, an index past the decodable end yields the last frame that could be decoded.
    /// </summary>
    public List<Mat> ReadFrames(IReadOnlyList<int> frameIndices)
    {
        var decoded = new SortedDictionary<int, Mat>();
        try
        {
            Mat? lastGood = null;
            foreach (int index in frameIndices.Distinct().Order())
            {
                var frame = TryReadAt(index);
                if (frame is not null)
                    lastGood = frame;
                else if (lastGood is null)
                    throw new InvalidMediaException(Path, $"frame {index} could not be decoded");
                decoded[index] = frame ?? lastGood.Clone();
            }
            return frameIndices.Select(i => decoded[i].Clone()).ToList();
        }
        finally
        {
            foreach (var mat in decoded.Values)
                mat.Dispose();
        }
    }

    private Mat? TryReadAt(int index)
    {
        if (index < nextFrame || index - nextFrame > SeekThreshold)
        {
            capture.Set(VideoCaptureProperties.PosFrames, index);
            nextFrame = index;
        }
        while (nextFrame < index)
        {
            if (!capture.Grab())
                return null;
            nextFrame++;
        }
        using var bgr = new Mat();
        if (!capture.Read(bgr) || bgr.Empty())
            return null;
        nextFrame++;
        return FrameConversion.BgrToRgb(bgr);
    }

    public void Dispose() => capture.Dispose();
}
