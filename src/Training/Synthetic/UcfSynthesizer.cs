using System.Globalization;
using System.Text;
using OpenCvSharp;

namespace Cluster.Training.Synthetic;

/// <summary>
/// Writes a small synthetic action dataset in UCF101's layout: <c>videos/Class/v_Class_gGG_cCC.mp4</c>,
/// <c>rawframes/Class/v_Class_gGG_cCC/img_00001.jpg</c>, VideoDataset lists <c>train_list.txt</c> /
/// <c>val_list.txt</c> (paths relative to videos/), RawframeDataset lists <c>train_list_rawframes.txt</c> /
/// <c>val_list_rawframes.txt</c> (relative to rawframes/), and a 1-based <c>classInd.txt</c>. Labels are 0-based.
/// Everything is determined by the options (videos render in parallel, each from its own seed).
/// </summary>
public static class UcfSynthesizer
{
    private const int ClipsPerGroup = 4;

    private sealed record VideoEntry(int Label, string ClassName, int Index, string Stem, bool IsVal);

    public static SynthResult Generate(SynthOptions options)
    {
        options.Validate();
        var classes = SynthClass.Catalogue(options.Classes, options.MotionOnly);
        Directory.CreateDirectory(options.OutDir);
        bool writeVideos = options.Formats.HasFlag(SynthFormats.Videos);
        bool writeRawframes = options.Formats.HasFlag(SynthFormats.Rawframes);
        var videoWriter = writeVideos ? VideoFileWriter.Choose(options.OutDir, options.Fps) : null;

        int valPerClass = Math.Min(options.VideosPerClass - 1, (int)Math.Round(options.VideosPerClass * options.ValFraction));
        var entries = classes.SelectMany((synthClass, label) => Enumerable.Range(0, options.VideosPerClass).Select(i =>
            new VideoEntry(label, synthClass.Name, i, Stem(synthClass.Name, i), i >= options.VideosPerClass - valPerClass)))
            .ToList();

        Parallel.ForEach(entries, entry =>
        {
            var plan = VideoPlan.Draw(classes[entry.Label], options, entry.Label, entry.Index);
            var frames = ClipRenderer.Render(plan, options.Frames, options.Size);
            try
            {
                if (videoWriter is not null)
                {
                    var directory = Directory.CreateDirectory(Path.Combine(options.OutDir, "videos", entry.ClassName));
                    videoWriter.Write(Path.Combine(directory.FullName, entry.Stem + videoWriter.Extension), frames, options.Fps);
                }
                if (writeRawframes)
                    WriteRawframes(Path.Combine(options.OutDir, "rawframes", entry.ClassName, entry.Stem), frames);
            }
            finally
            {
                foreach (var frame in frames)
                    frame.Dispose();
            }
        });

        string? List(string name, bool isVal, Func<VideoEntry, string> line, bool enabled) =>
            enabled ? WriteLines(Path.Combine(options.OutDir, name), entries.Where(e => e.IsVal == isVal).Select(line)) : null;
        string VideoLine(VideoEntry e) => $"{e.ClassName}/{e.Stem}{videoWriter!.Extension} {e.Label}";
        string RawframeLine(VideoEntry e) => $"{e.ClassName}/{e.Stem} {options.Frames} {e.Label}";

        return new SynthResult(
            options.OutDir,
            classes,
            TrainVideos: entries.Count(e => !e.IsVal),
            ValVideos: entries.Count(e => e.IsVal),
            VideoExtension: videoWriter?.Extension ?? "",
            TrainList: List("train_list.txt", false, VideoLine, writeVideos),
            ValList: List("val_list.txt", true, VideoLine, writeVideos),
            TrainRawframeList: List("train_list_rawframes.txt", false, RawframeLine, writeRawframes),
            ValRawframeList: List("val_list_rawframes.txt", true, RawframeLine, writeRawframes),
            ClassIndex: WriteLines(Path.Combine(options.OutDir, "classInd.txt"), classes.Select((c, i) => $"{i + 1} {c.Name}")));
    }

    /// <summary>UCF101 naming: clips grouped by four, groups and clips counted from 1.</summary>
    private static string Stem(string className, int videoIndex) => string.Create(CultureInfo.InvariantCulture,
        $"v_{className}_g{videoIndex / ClipsPerGroup + 1:00}_c{videoIndex % ClipsPerGroup + 1:00}");

    private static void WriteRawframes(string directory, IReadOnlyList<Mat> frames)
    {
        Directory.CreateDirectory(directory);
        for (int i = 0; i < frames.Count; i++)
            Cv2.ImWrite(Path.Combine(directory, $"img_{i + 1:00000}.jpg"), frames[i]);
    }

    private static string WriteLines(string path, IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
            text.Append(line).Append('\n');
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
