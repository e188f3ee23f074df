using Cluster.Training.Configs;
using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Loading;
using TorchSharp;

namespace Cluster.Tests.Data.Ava;

public class AvaDatasetTests : IDisposable
{
    private readonly AvaTestSet set = new();

    private static AvaDataset Build(AvaDatasetConfig config) => (AvaDataset)config.Build();

    [Fact]
    public void One_sample_per_annotated_keyframe_not_excluded()
    {
        var dataset = Build(set.Config());

        Assert.Equal([new AvaKey("vidA", 902), new AvaKey("vidA", 903)], dataset.Samples.Select(s => s.Key));
        Assert.Equal(["vidA"], dataset.VideoIds);
        var first = dataset.Samples[0];
        Assert.Equal([AvaTestSet.PersonA, AvaTestSet.PersonB], first.Persons.Select(p => p.Box));
        Assert.Equal([[1, 3], [2]], first.Persons.Select(p => p.Actions));
        Assert.Equal(1, first.Line);
        Assert.Equal(4, dataset.Samples[1].Line);
    }

    [Fact]
    public void Training_rois_are_gt_plus_matching_proposals_after_the_threshold()
    {
        var dataset = Build(set.Config(threshold: 0.9));

        // 902: 0.3 is below the threshold; the 0.95 proposal overlaps person A by 0.92 and takes its labels.
        Assert.Equal([AvaTestSet.PersonA, AvaTestSet.PersonB, AvaTestSet.NearA], dataset.Samples[0].Rois.Select(r => r.Box));
        Assert.Equal([[1, 3], [2], [1, 3]], dataset.Samples[0].Rois.Select(r => r.Actions));
        // 903: the best score 0.86 lowers the threshold to 0.86; the kept proposal is person B's place, which has no
        // ground truth here, so the RoIs are the ground-truth box only.
        Assert.Equal([0.86f], dataset.Samples[1].Proposals.Select(p => p.Score));
        Assert.Equal([AvaTestSet.PersonA], dataset.Samples[1].Rois.Select(r => r.Box));
    }

    [Fact]
    public void Test_mode_rois_are_the_kept_proposals_unlabelled()
    {
        var dataset = Build(set.Config(testMode: true, threshold: 0.85));

        Assert.Equal([AvaTestSet.NearA], dataset.Samples[0].Rois.Select(r => r.Box));
        Assert.Equal([AvaTestSet.PersonB], dataset.Samples[1].Rois.Select(r => r.Box));
        Assert.All(dataset.Samples.SelectMany(s => s.Rois), roi => Assert.Empty(roi.Actions));
    }

    [Fact]
    public void Loaded_sample_has_the_keyframe_clip_and_rois_in_input_pixels()
    {
        var dataset = Build(set.Config());

        using var sample = dataset.Load(0, seed: 0, epoch: 0);

        Assert.Equal([1, 3, 2, 40, 80], sample.Inputs.shape);
        // Keyframe 902 at 2 fps is 0-based frame 4: frames 2 and 4, files img_00003 and img_00005 (red 30, 50).
        var red = sample.Inputs[0, 0].to_type(torch.ScalarType.Float32).mean([1, 2]).data<float>().ToArray();
        Assert.Equal([30f, 50f], red.Select(v => MathF.Round(v)));
        var rois = sample.Rois!;
        // Person A (0.1, 0.2, 0.5, 0.8) of an 80×40 input.
        Assert.Equal([8f, 8f, 40f, 32f], rois.Boxes[..4].Select(v => MathF.Round(v, 4)));
        Assert.Equal([0f, 1f, 0f, 1f], rois.Labels[..4]);
        Assert.Equal(new Training.Data.Detection.RoiInfo(new AvaKey("vidA", 902), AvaTestSet.PersonA, 0), rois.Info[0]);
    }

    [Fact]
    public void Flip_mirrors_the_boxes_and_keeps_the_source_box_in_the_info()
    {
        var dataset = Build(set.Config(AvaTestSet.Pipeline(flip: true)));

        using var sample = dataset.Load(0, seed: 0, epoch: 0);

        // x → 1 − x: person A becomes (0.5, 0.2, 0.9, 0.8) → pixels (40, 8, 72, 32).
        Assert.Equal([40f, 8f, 72f, 32f], sample.Rois!.Boxes[..4].Select(v => MathF.Round(v, 4)));
        Assert.Equal(AvaTestSet.PersonA, sample.Rois.Info[0].Box);
    }

    [Fact]
    public void Loader_collates_views_rois_with_batch_rows_and_multi_hot_labels()
    {
        var config = new DataLoaderConfig
        {
            BatchSize = 2,
            Sampler = new DefaultSamplerConfig { Shuffle = false },
            Dataset = set.Config(),
        };
        using var loader = DataLoaderFactory.Build(config, seed: 0);

        using var batch = loader.ReadEpoch(0).Single();

        Assert.Equal([2, 1, 3, 2, 40, 80], batch.Inputs.shape);
        Assert.Equal(0, batch.Labels.numel());
        var detection = batch.Detection!;
        Assert.Equal([4, 5], detection.Rois.shape);
        Assert.Equal([0f, 0f, 0f, 1f], detection.Rois[.., 0].data<float>().ToArray());
        Assert.Equal([4, 4], detection.Labels.shape);
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 0f, 1f, 0f, 0f, 1f, 0f, 1f, 0f, 0f, 0f, 1f], detection.Labels.data<float>().ToArray());
        Assert.Equal([0, 0, 0, 1], detection.Info.Select(i => i.BatchRow));
        Assert.Equal(new AvaKey("vidA", 903), detection.Info[3].Key);
        // Person A of the second sample: (0.1, 0.2, 0.5, 0.8) · (80, 40, 80, 40).
        Assert.Equal([1f, 8f, 8f, 40f, 32f], detection.Rois[3].data<float>().ToArray().Select(v => MathF.Round(v, 4)));
    }

    [Fact]
    public void Action_ids_outside_the_classes_name_the_file_and_line()
    {
        var ann = set.Write("bad_ann.csv", "vidA,0902,0.1,0.2,0.5,0.8,1,0\nvidA,0903,0.1,0.2,0.5,0.8,4,0\n");
        var error = Assert.Throws<InvalidDataException>(() => set.Config(annFile: ann).Build());
        Assert.Equal($"{ann}:2: action_id 4 is outside 1..3 (num_classes 4)", error.Message);

        var late = set.Write("late_ann.csv", "vidA,0906,0.1,0.2,0.5,0.8,1,0\n");
        Assert.Equal($"{late}:1: timestamp 906 is outside timestamp_start..timestamp_end (900..905)",
            Assert.Throws<InvalidDataException>(() => set.Config(annFile: late).Build()).Message);
    }

    [Fact]
    public void Custom_classes_renumber_actions_and_drop_the_rest()
    {
        var dataset = Build(set.Config(customClasses: [3], numClasses: 2));

        // Only rows of action 3 remain (person A at 902 and 903), as class 1.
        Assert.Equal([[AvaTestSet.PersonA], [AvaTestSet.PersonA]], dataset.Samples.Select(s => s.Persons.Select(p => p.Box)));
        Assert.All(dataset.Samples.SelectMany(s => s.Persons), p => Assert.Equal([1], p.Actions));
        Assert.Throws<ArgumentException>(() => set.Config(customClasses: [3], numClasses: 4).Build());
    }

    [Fact]
    public void Indices_of_videos_select_their_keyframes()
    {
        var dataset = Build(set.Config());
        Assert.Equal([0, 1], dataset.IndicesOfVideos(["vidA"]));
        Assert.Empty(dataset.IndicesOfVideos(["other"]));
    }

    [Fact]
    public void Yaml_config_binds_the_ava_keys()
    {
        var yaml = set.Write("config.yaml", $$"""
            train_dataloader:
              batch_size: 1
              dataset:
                type: AVADataset
                ann_file: {{set.AnnFile}}
                exclude_file: {{set.ExcludeFile}}
                proposal_file: {{set.ProposalFile}}
                data_prefix: {img: {{Path.Combine(set.Root, "rawframes")}}}
                filename_tmpl: img_{:05}.png
                fps: 2
                timestamp_start: 900
                timestamp_end: 905
                num_classes: 4
                person_det_score_thr: 0.85
                num_max_proposals: 5
                test_mode: true
                pipeline:
                  - {type: SampleAVAFrames, clip_len: 2, frame_interval: 2, test_mode: true}
                  - {type: RawFrameDecode}
                  - {type: Resize, scale: [80, 40], keep_ratio: false}
                  - {type: FormatShape, input_format: NCTHW, collapse: true}
                  - {type: PackActionInputs}
            """);
        var loader = ConfigBinder.Bind<DataLoaderConfig>(ConfigLoader.LoadUnvalidated(yaml), "train_dataloader");

        var config = Assert.IsType<AvaDatasetConfig>(loader.Dataset);
        Assert.Equal((2, 0.85, 5, true), (config.Fps, config.PersonDetScoreThr, config.NumMaxProposals, config.TestMode));
        var dataset = Build(config);
        Assert.Equal(2, dataset.Count);
        using var sample = dataset.Load(1, seed: 0, epoch: 0);
        Assert.Equal([1, 3, 2, 40, 80], sample.Inputs.shape);
    }

    public void Dispose() => set.Dispose();
}
