using System.Globalization;
using System.Text;
using Cluster.Training.Data.Ava;
using OpenCvSharp;

namespace Cluster.Training.Synthetic;

/// <summary>What <see cref="AvaSynthesizer.Generate"/> wrote (paths absolute or as given in the options).</summary>
public sealed record AvaSynthResult(
    string OutDir, int TrainVideos, int ValVideos, int TrainKeyframes, int ValKeyframes,
    string TrainAnnFile, string ValAnnFile, string TrainExcludeFile, string ValExcludeFile, string LabelFile,
    string TrainProposalFile, string ValProposalFile, string TruthFile, string Readme)
{
    public string RawframeDir => Path.Combine(OutDir, "rawframes");
}

/// <summary>
/// Writes a synthetic AVA-like set where long-term context carries information a short clip does not. Each video has
/// a hidden scene (red, green or blue); 1–3 persons keep to their own band and stand, walk or jump (motion classes,
/// visible in a clip); at every keyframe each person also has the scene's class (none for blue), but the scene shows
/// only around one cue second per video (in its first or last quarter, so 10 s or more from most keyframes), as a
/// marker in its colour on every person. A model that sees a clip learns the motion classes and guesses the scene classes; a feature bank
/// whose window covers a cue second reveals them. Layout (MMAction2's AVA names where they exist):
/// <c>rawframes/&lt;video&gt;/img_00001.jpg</c>, <c>annotations/ava_{train,val}.csv</c>,
/// <c>annotations/ava_{train,val}_excluded_timestamps.csv</c>, <c>annotations/ava_action_list.pbtxt</c>,
/// <c>annotations/ava_proposals_{train,val}.json</c>, <c>synth_truth.csv</c> (each video's scene and cue seconds) and
/// <c>README.md</c>. Deterministic for the options (videos render in parallel, each from its own seed).
/// </summary>
public static class AvaSynthesizer
{
    public static AvaSynthResult Generate(AvaSynthOptions options)
    {
        options.Validate();
        var videos = Enumerable.Range(0, options.TrainVideos)
            .Select(i => AvaSynthVideo.Draw(options, $"train_{i:000}", isVal: false, i))
            .Concat(Enumerable.Range(0, options.ValVideos).Select(i => AvaSynthVideo.Draw(options, $"val_{i:000}", isVal: true, i)))
            .ToList();
        var annotations = Directory.CreateDirectory(Path.Combine(options.OutDir, "annotations")).FullName;
        Parallel.ForEach(videos, video => WriteFrames(video, Path.Combine(options.OutDir, "rawframes", video.VideoId)));

        string Annotations(string name) => Path.Combine(annotations, name);
        var labelFile = Annotations("ava_action_list.pbtxt");
        AvaSynthClasses.LabelMap.Write(labelFile);
        var splits = new Dictionary<bool, (string Ann, string Exclude, string Proposals, int Keyframes)>();
        foreach (bool isVal in new[] { false, true })
        {
            string split = isVal ? "val" : "train";
            var inSplit = videos.Where(v => v.IsVal == isVal).ToList();
            var ann = Annotations($"ava_{split}.csv");
            var exclude = Annotations($"ava_{split}_excluded_timestamps.csv");
            var proposals = Annotations($"ava_proposals_{split}.json");
            AvaAnnotationFile.Write(ann, inSplit.SelectMany(Rows));
            AvaExclusionFile.Write(exclude, inSplit.Where(v => v.ExcludedTimestamp is not null)
                .Select(v => new AvaKey(v.VideoId, v.ExcludedTimestamp!.Value)));
            AvaProposalFile.Write(proposals, inSplit.SelectMany(Proposals));
            splits[isVal] = (ann, exclude, proposals, inSplit.Sum(v => v.Keyframes.Length));
        }
        var truth = Path.Combine(options.OutDir, "synth_truth.csv");
        File.WriteAllText(truth, "video_id,split,scene,cue_timestamps,persons\n" + string.Concat(videos.Select(v => string.Create(
            CultureInfo.InvariantCulture,
            $"{v.VideoId},{(v.IsVal ? "val" : "train")},{SceneName(v.Scene)},{string.Join(' ', v.CueTimestamps)},{v.Persons.Count}\n"))));
        var readme = Path.Combine(options.OutDir, "README.md");
        File.WriteAllText(readme, Readme(options, splits[false].Keyframes, splits[true].Keyframes));

        return new AvaSynthResult(options.OutDir, options.TrainVideos, options.ValVideos,
            splits[false].Keyframes, splits[true].Keyframes, splits[false].Ann, splits[true].Ann,
            splits[false].Exclude, splits[true].Exclude, labelFile, splits[false].Proposals, splits[true].Proposals, truth, readme);
    }

    internal static string SceneName(int scene) => scene switch { 0 => "red", 1 => "green", _ => "blue" };

    private static void WriteFrames(AvaSynthVideo video, string directory)
    {
        Directory.CreateDirectory(directory);
        using var background = AvaSynthRenderer.Background(video);
        for (int frame = 0; frame < video.FrameCount; frame++)
        {
            using var image = AvaSynthRenderer.Render(video, background, frame);
            Cv2.ImWrite(Path.Combine(directory, $"img_{frame + 1:00000}.jpg"), image);
        }
    }

    /// <summary>Boxes as the CSV stores them (three decimals), so proposals derive from the same numbers.</summary>
    internal static NormalizedBox GroundTruthBox(AvaSynthVideo video, AvaSynthPerson person, int frame)
    {
        var box = video.BoxAt(person, frame);
        static float Round(float value) => MathF.Round(value, 3);
        return new NormalizedBox(Round(box.X1), Round(box.Y1), Round(box.X2), Round(box.Y2));
    }

    internal static IEnumerable<AvaAnnotation> Rows(AvaSynthVideo video) =>
        from timestamp in video.Keyframes
        let frame = video.FrameOf(timestamp)
        from person in video.Persons
        from action in video.ActionsAt(person, frame)
        select new AvaAnnotation(new AvaKey(video.VideoId, timestamp), GroundTruthBox(video, person, frame), action, person.PersonId);

    /// <summary>
    /// Per keyframe, one detection per person: mostly a tight jitter of its box (IoU ≥ 0.9), sometimes a loose one,
    /// scored 0.86–1; and now and then a low-scoring false positive elsewhere.
    /// </summary>
    internal static IEnumerable<KeyValuePair<AvaKey, List<AvaProposal>>> Proposals(AvaSynthVideo video)
    {
        var random = new Random(video.ProposalSeed);
        foreach (int timestamp in video.Keyframes)
        {
            var key = new AvaKey(video.VideoId, timestamp);
            var boxes = new List<AvaProposal>();
            foreach (var person in video.Persons)
            {
                var box = GroundTruthBox(video, person, video.FrameOf(timestamp));
                float spread = random.NextDouble() < 0.85 ? 0.02f : 0.12f;
                boxes.Add(new AvaProposal(key, Jitter(box, spread, random), 0.86f + 0.14f * (float)random.NextDouble()));
            }
            if (random.NextDouble() < 0.3)
            {
                float w = 0.1f + 0.2f * (float)random.NextDouble(), h = 0.1f + 0.2f * (float)random.NextDouble();
                float x = (1 - w) * (float)random.NextDouble(), y = (1 - h) * (float)random.NextDouble();
                boxes.Add(new AvaProposal(key, new NormalizedBox(x, y, x + w, y + h), 0.05f + 0.55f * (float)random.NextDouble()));
            }
            yield return new(key, boxes);
        }
    }

    private static NormalizedBox Jitter(NormalizedBox box, float spread, Random random)
    {
        float width = box.X2 - box.X1, height = box.Y2 - box.Y1;
        float Move(float value, float scale) => Math.Clamp(value + (2 * (float)random.NextDouble() - 1) * spread * scale, 0f, 1f);
        return new NormalizedBox(Move(box.X1, width), Move(box.Y1, height), Move(box.X2, width), Move(box.Y2, height));
    }

    private static string Readme(AvaSynthOptions options, int trainKeyframes, int valKeyframes) => string.Create(CultureInfo.InvariantCulture, $$"""
        # Synthetic AVA-like set (cluster data synth ava, seed {{options.Seed}})

        {{options.TrainVideos}} train and {{options.ValVideos}} val videos of {{options.Seconds}} s at {{options.Fps}} fps, {{options.Size}}x{{options.Size}} frames in
        `rawframes/<video>/img_00001.jpg` (frame i shows second 900 + (i - 1) / fps); keyframes every {{options.KeyframeStep}} s from 902 to
        {{options.TimestampEnd - 2}} ({{trainKeyframes}} train, {{valKeyframes}} val, a few excluded in `annotations/*_excluded_timestamps.csv`).
        Classes (`annotations/ava_action_list.pbtxt`, num_classes {{AvaSynthClasses.NumClasses}} with background 0): 1 stand, 2 walk, 3 jump — each
        person's own motion, visible in a short clip — and 4 support red, 5 support green: the video's hidden scene (red, green
        or blue = neither), the same at every keyframe but visible only within a second of one cue timestamp per video, in
        its first or last quarter (a marker in the scene's colour on every person). Without long-term context the scene classes can only be guessed;
        `synth_truth.csv` lists each video's scene and cue timestamp. Person proposals with scores:
        `annotations/ava_proposals_{train,val}.json` (our JSON form of MMAction2's proposal pickle).
        Dataset keys: type AVADataset, fps {{options.Fps}}, timestamp_start 900, timestamp_end {{options.TimestampEnd}}, num_classes {{AvaSynthClasses.NumClasses}},
        data_prefix.img rawframes, filename_tmpl img_{:05}.jpg, start_index 1.

        """);
}
