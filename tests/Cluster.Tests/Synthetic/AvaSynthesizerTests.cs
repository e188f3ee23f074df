using System.Security.Cryptography;
using Cluster.Tests.Client;
using Cluster.Training.Configs;
using Cluster.Training.Data.Loading;
using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Datasets;
using Cluster.Training.Data.Transforms;
using Cluster.Training.Synthetic;
using OpenCvSharp;

namespace Cluster.Tests.Synthetic;

public class AvaSynthesizerTests : IDisposable
{
    private readonly TempDirectory dir = new();

    private AvaSynthOptions Small(string name, int seed = 3) => new()
    {
        OutDir = Path.Combine(dir.Path, name),
        TrainVideos = 4,
        ValVideos = 2,
        Seconds = 12,
        Fps = 2,
        Size = 32,
        Seed = seed,
    };

    private static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetRelativePath(root, file),
            file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));

    [Fact]
    public void Same_seed_writes_identical_files_and_another_seed_differs()
    {
        var first = AvaSynthesizer.Generate(Small("a"));
        var second = AvaSynthesizer.Generate(Small("b"));
        var other = AvaSynthesizer.Generate(Small("c", seed: 4));

        var hashes = Hashes(first.OutDir);
        Assert.Equal(hashes, Hashes(second.OutDir));
        Assert.Equal(6 * 12 * 2, hashes.Keys.Count(key => key.StartsWith("rawframes", StringComparison.Ordinal)));
        Assert.NotEqual(File.ReadAllText(first.TrainAnnFile), File.ReadAllText(other.TrainAnnFile));
    }

    [Fact]
    public void Written_set_loads_as_an_ava_dataset()
    {
        var result = AvaSynthesizer.Generate(Small("set"));

        AvaDataset Build(bool val) => (AvaDataset)new AvaDatasetConfig
        {
            AnnFile = val ? result.ValAnnFile : result.TrainAnnFile,
            ExcludeFile = val ? result.ValExcludeFile : result.TrainExcludeFile,
            LabelFile = result.LabelFile,
            ProposalFile = val ? result.ValProposalFile : result.TrainProposalFile,
            DataPrefix = new DataPrefixConfig { Img = result.RawframeDir },
            Fps = 2,
            TimestampStart = 900,
            TimestampEnd = 912,
            NumClasses = AvaSynthClasses.NumClasses,
            PersonDetScoreThr = val ? 0.85 : 0.9,
            TestMode = val,
            Pipeline =
            [
                new SampleAvaFramesConfig { ClipLen = 4, FrameInterval = 1, TestMode = val },
                new RawFrameDecodeConfig(),
                new FormatShapeConfig { InputFormat = "NCTHW", Collapse = true },
                new PackActionInputsConfig(),
            ],
        }.Build();

        var train = Build(val: false);
        var val = Build(val: true);
        // Keyframes 902..910 in every video; train video 3 has one excluded.
        Assert.Equal(4 * 9 - 1, train.Count);
        Assert.Equal(2 * 9, val.Count);
        Assert.Equal(["stand", "walk", "jump", "support red", "support green"], train.LabelMap!.Labels.Select(l => l.Name));
        // Most training persons are matched by a proposal (tight jitter, IoU ≥ 0.9).
        int persons = train.Samples.Sum(s => s.Persons.Count), rois = train.Samples.Sum(s => s.Rois.Count);
        Assert.InRange(rois - persons, persons / 3, persons);
        using var sample = val.Load(0, seed: 0, epoch: 0);
        Assert.Equal([1, 3, 4, 32, 32], sample.Inputs.shape);
        Assert.Equal(val.Samples[0].Proposals.Count, sample.Rois!.Count);
    }

    [Fact]
    public void Every_person_has_one_motion_class_and_the_videos_scene_class_at_every_keyframe()
    {
        var result = AvaSynthesizer.Generate(Small("truth"));
        var scenes = File.ReadAllLines(result.TruthFile).Skip(1).Select(line => line.Split(','))
            .ToDictionary(fields => fields[0], fields => fields[2]);

        foreach (var keyframe in AvaAnnotationFile.Read(result.TrainAnnFile).Concat(AvaAnnotationFile.Read(result.ValAnnFile))
                     .GroupBy(line => line.Row.Key))
            foreach (var person in AvaProposalRules.Persons(keyframe.Select(line => line.Row)))
            {
                Assert.Single(person.Actions, action => AvaSynthClasses.MotionClasses.Contains(action));
                int[] expectedScene = scenes[keyframe.Key.VideoId] switch
                {
                    "red" => [AvaSynthClasses.SupportRed],
                    "green" => [AvaSynthClasses.SupportGreen],
                    _ => [],
                };
                Assert.Equal(expectedScene, person.Actions.Where(action => AvaSynthClasses.SceneClasses.Contains(action)));
            }
    }

    [Fact]
    public void Scene_changes_frames_only_within_a_second_of_the_cues_and_labels_only_in_scene_classes()
    {
        var options = Small("unused");
        var video = AvaSynthVideo.Draw(options, "train_000", isVal: false, index: 0);
        var variants = Enumerable.Range(0, AvaSynthClasses.SceneCount).Select(video.WithScene).ToArray();
        using var background = AvaSynthRenderer.Background(video);
        var cueFrames = Enumerable.Range(0, video.FrameCount).Where(video.MarkerVisible).ToHashSet();
        Assert.NotEmpty(cueFrames);
        Assert.True(cueFrames.Count < video.FrameCount / 3);

        for (int frame = 0; frame < video.FrameCount; frame++)
        {
            var images = variants.Select(v => AvaSynthRenderer.Render(v, background, frame)).ToArray();
            try
            {
                int differing = Differing(images[0], images[1]) + Differing(images[1], images[2]);
                // Outside the cue windows a clip is pixel-identical whatever the scene: it carries nothing about it.
                Assert.Equal(cueFrames.Contains(frame), differing > 0);
                if (cueFrames.Contains(frame))
                {
                    // Inside, the marker on the first person shows the scene's colour.
                    var person = video.Persons[0];
                    int side = Math.Max(2, person.Width / 2);
                    var at = new Point(person.X[frame] + (person.Width - side) / 2, person.Y[frame] + 1);
                    for (int scene = 0; scene < variants.Length; scene++)
                    {
                        var pixel = images[scene].At<Vec3b>(at.Y, at.X);
                        var expected = AvaSynthRenderer.SceneColours[scene];
                        Assert.Equal(((byte)expected[0], (byte)expected[1], (byte)expected[2]), (pixel.Item0, pixel.Item1, pixel.Item2));
                    }
                }
            }
            finally
            {
                foreach (var image in images)
                    image.Dispose();
            }
        }

        var rows = variants.Select(v => AvaSynthesizer.Rows(v).ToList()).ToArray();
        Assert.Equal(rows[0].Where(r => r.ActionId <= 3), rows[2]);
        Assert.All(rows[0].Where(r => r.ActionId > 3), r => Assert.Equal(AvaSynthClasses.SupportRed, r.ActionId));
        Assert.All(rows[1].Where(r => r.ActionId > 3), r => Assert.Equal(AvaSynthClasses.SupportGreen, r.ActionId));
    }

    private static int Differing(Mat a, Mat b)
    {
        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        using var grey = new Mat();
        Cv2.CvtColor(diff, grey, ColorConversionCodes.BGR2GRAY);
        return Cv2.CountNonZero(grey);
    }

    [Fact]
    public void With_default_settings_most_keyframes_are_far_from_the_cues()
    {
        var options = new AvaSynthOptions { OutDir = "unused" };
        var videos = Enumerable.Range(0, options.TrainVideos)
            .Select(i => AvaSynthVideo.Draw(options, $"train_{i:000}", isVal: false, i)).ToList();

        var distances = videos.SelectMany(v => v.Keyframes.Select(t => v.CueTimestamps.Min(c => Math.Abs(t - c)))).ToList();
        // A 4-frame clip at 4 fps sees a marker only within about a second of the cue.
        Assert.True(distances.Count(d => d <= 1) < distances.Count * 0.15);
        Assert.True(distances.Count(d => d >= 10) > distances.Count * 0.5);
        // The cue is a keyframe in the first or last quarter of the video.
        Assert.All(videos, v =>
        {
            int cue = Assert.Single(v.CueTimestamps);
            Assert.Contains(cue, v.Keyframes);
            Assert.True(cue <= 910 || cue >= 930, $"cue {cue} of {v.VideoId}");
        });
        // Scenes are spread over red, green and blue.
        Assert.Equal(3, videos.Select(v => v.Scene).Distinct().Count());
    }

    [Fact]
    public void Cli_writes_the_set_and_rejects_bad_options_without_creating_anything()
    {
        var target = Path.Combine(dir.Path, "cli");
        var ok = CliRunner.Run("data", "synth", "ava", "--out", target, "--videos", "1", "--val-videos", "1",
            "--seconds", "12", "--fps", "2", "--size", "32");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("wrote 1 train and 1 val videos", ok.Output);
        Assert.True(File.Exists(Path.Combine(target, "annotations", "ava_proposals_val.json")));
        Assert.True(File.Exists(Path.Combine(target, "rawframes", "val_000", "img_00024.jpg")));

        var bad = Path.Combine(dir.Path, "bad");
        var result = CliRunner.Run("data", "synth", "ava", "--out", bad, "--seconds", "5");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Seconds", Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(bad));
    }

    [Fact]
    public void Base_dataset_config_reads_the_default_layout()
    {
        var result = AvaSynthesizer.Generate(new AvaSynthOptions { OutDir = Path.Combine(dir.Path, "ava_synth"), TrainVideos = 1, ValVideos = 1 });
        var document = ConfigLoader.LoadUnvalidated(
            CliRunner.RepositoryFile("configs/_base_/datasets/ava_synth.yaml"),
            new[] { "train", "val", "test" }.Select(split => $"{split}_dataloader.dataset.data_root={result.OutDir}").ToList());

        using var train = DataLoaderFactory.Build(ConfigBinder.Bind<DataLoaderConfig>(document, "train_dataloader"), seed: 0);
        using var batch = train.ReadEpoch(0).First();
        Assert.Equal([8, 1, 3, 4, 64, 64], batch.Inputs.shape);
        Assert.Equal(AvaSynthClasses.NumClasses, batch.Detection!.Labels.shape[1]);
        // Every training RoI has one motion class.
        var motion = batch.Detection.Labels[.., 1..4].sum(1).data<float>().ToArray();
        Assert.All(motion, count => Assert.Equal(1f, count));

        foreach (var split in new[] { "val_dataloader", "test_dataloader" })
        {
            var config = ConfigBinder.Bind<DataLoaderConfig>(document, split);
            var dataset = (AvaDataset)config.Dataset.Build();
            Assert.True(dataset.TestMode);
            Assert.Equal(["val_000"], dataset.VideoIds);
        }
    }

    public void Dispose() => dir.Dispose();
}
