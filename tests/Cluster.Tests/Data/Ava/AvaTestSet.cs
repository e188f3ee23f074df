using System.Globalization;
using Cluster.Tests.Models.Detectors;
using Cluster.Tests.Synthetic;
using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Datasets;
using Cluster.Training.Data.Transforms;
using OpenCvSharp;

namespace Cluster.Tests.Data.Ava;

/// <summary>
/// A hand-made AVA set: video "vidA", 2 fps, timestamps 900–905 (10 frames of 40×20 PNG whose first RGB channel is the
/// 1-based frame number), keyframes 902 (two persons), 903 (one) and 904 (excluded), proposals with scores.
/// </summary>
internal sealed class AvaTestSet : IDisposable
{
    public static readonly NormalizedBox PersonA = new(0.1f, 0.2f, 0.5f, 0.8f);
    public static readonly NormalizedBox PersonB = new(0.6f, 0.1f, 0.9f, 0.9f);
    /// <summary>IoU 0.92 with <see cref="PersonA"/>.</summary>
    public static readonly NormalizedBox NearA = new(0.1f, 0.2f, 0.5f, 0.75f);
    public static readonly NormalizedBox Stray = new(0.0f, 0.0f, 0.2f, 0.2f);

    private readonly TempDirectory dir = new();

    public AvaTestSet()
    {
        var frames = Directory.CreateDirectory(Path.Combine(dir.Path, "rawframes", "vidA")).FullName;
        for (int i = 1; i <= 10; i++)
        {
            // OpenCV writes BGR: the tag in the third byte is the red channel once decoded as RGB.
            using var frame = new Mat(20, 40, MatType.CV_8UC3, new Scalar(0, 0, i * 10));
            Cv2.ImWrite(Path.Combine(frames, $"img_{i:00000}.png"), frame);
        }
        AnnFile = Write("ann.csv", """
            vidA,0902,0.1,0.2,0.5,0.8,1,0
            vidA,0902,0.6,0.1,0.9,0.9,2,1
            vidA,0902,0.1,0.2,0.5,0.8,3,0
            vidA,0903,0.1,0.2,0.5,0.8,3,0
            vidA,0904,0.1,0.2,0.5,0.8,1,0
            """);
        ExcludeFile = Write("excluded.csv", "vidA,0904\n");
        ProposalFile = Write("proposals.json", """
            {
              "vidA,0902": [[0.1, 0.2, 0.5, 0.75, 0.95], [0.0, 0.0, 0.2, 0.2, 0.3]],
              "vidA,0903": [[0.6, 0.1, 0.9, 0.9, 0.86], [0.0, 0.0, 0.2, 0.2, 0.2]]
            }
            """);
    }

    public string Root => dir.Path;
    public string AnnFile { get; }
    public string ExcludeFile { get; }
    public string ProposalFile { get; }

    public string Write(string name, string text)
    {
        var path = Path.Combine(dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    public AvaDatasetConfig Config(List<TransformConfig>? pipeline = null, bool testMode = false, double threshold = 0.9,
        string? annFile = null, List<int>? customClasses = null, int numClasses = 4) => new()
    {
        AnnFile = annFile ?? AnnFile,
        ExcludeFile = ExcludeFile,
        ProposalFile = ProposalFile,
        DataPrefix = new DataPrefixConfig { Img = Path.Combine(dir.Path, "rawframes") },
        FilenameTmpl = "img_{:05}.png",
        Fps = 2,
        TimestampStart = 900,
        TimestampEnd = 905,
        NumClasses = numClasses,
        CustomClasses = customClasses,
        PersonDetScoreThr = threshold,
        TestMode = testMode,
        Pipeline = pipeline ?? Pipeline(),
    };

    /// <summary>
    /// A whole <see cref="TinyDetector"/> config on this set with AVAMetric: action ids 1.. named by
    /// <paramref name="labels"/> (written to labels.pbtxt); training RoIs are the ground truth (plus matching proposals),
    /// validation and test RoIs the proposals scoring above <paramref name="testScoreThreshold"/>.
    /// </summary>
    public string DetectorConfig(IReadOnlyList<string> labels, int maxEpochs = 1, double testScoreThreshold = 0.9)
    {
        var labelFile = Write("labels.pbtxt", string.Concat(labels.Select((name, i) => $"item {{ name: \"{name}\" id: {i + 1} }}\n")));
        string Dataset(bool testMode) => string.Create(CultureInfo.InvariantCulture, $$"""
              dataset:
                type: AVADataset
                ann_file: {{AnnFile}}
                exclude_file: {{ExcludeFile}}
                proposal_file: {{ProposalFile}}
                label_file: {{labelFile}}
                data_prefix: {img: {{Path.Combine(Root, "rawframes")}}}
                filename_tmpl: 'img_{:05}.png'
                fps: 2
                timestamp_start: 900
                timestamp_end: 905
                num_classes: 4
                person_det_score_thr: {{(testMode ? testScoreThreshold : 0.9)}}
                test_mode: {{(testMode ? "true" : "false")}}
                pipeline:
                  - {type: SampleAVAFrames, clip_len: 2, frame_interval: 2}
                  - {type: RawFrameDecode}
                  - {type: Resize, scale: [64, 32], keep_ratio: false}
                  - {type: FormatShape, input_format: NCTHW, collapse: true}
                  - {type: PackActionInputs}
            """);
        return $$$"""
            {{{TinyDetector.ModelYaml()}}}
            train_dataloader:
              batch_size: 2
              num_workers: 0
              sampler: {type: DefaultSampler, shuffle: true}
            {{{Dataset(false)}}}
            val_dataloader:
              batch_size: 2
              num_workers: 0
              sampler: {type: DefaultSampler, shuffle: false}
            {{{Dataset(true)}}}
            test_dataloader:
              batch_size: 1
              num_workers: 0
              sampler: {type: DefaultSampler, shuffle: false}
            {{{Dataset(true)}}}
            val_evaluator: &ava {type: AVAMetric, ann_file: {{{AnnFile}}}, label_file: {{{labelFile}}}, exclude_file: {{{ExcludeFile}}}, num_classes: 4}
            test_evaluator: *ava
            train_cfg: {type: EpochBasedTrainLoop, max_epochs: {{{maxEpochs}}}, val_interval: 1}
            optim_wrapper: {optimizer: {type: SGD, lr: 0.01, momentum: 0.9}}
            default_hooks: {checkpoint: {type: CheckpointHook, interval: 1}}
            randomness: {seed: 0}
            """;
    }

    /// <summary>Two frames two apart around the keyframe, resized to 80×40, optionally flipped.</summary>
    public static List<TransformConfig> Pipeline(bool flip = false)
    {
        var pipeline = new List<TransformConfig>
        {
            new SampleAvaFramesConfig { ClipLen = 2, FrameInterval = 2, TestMode = true },
            new RawFrameDecodeConfig(),
            new ResizeConfig { Scale = [80, 40], KeepRatio = false },
        };
        if (flip)
            pipeline.Add(new FlipConfig { FlipRatio = 1 });
        pipeline.Add(new FormatShapeConfig { InputFormat = "NCTHW", Collapse = true });
        pipeline.Add(new PackActionInputsConfig());
        return pipeline;
    }

    public void Dispose() => dir.Dispose();
}
