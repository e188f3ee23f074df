using System.Globalization;
using System.Text;
using Cluster.Training.BankJobs;
using Cluster.Training.Checkpoints;
using Cluster.Training.Configs;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;
using Cluster.Training.Lfb;
using Cluster.Training.Models;
using OpenCvSharp;


namespace Cluster.Tests.LfbCluster;

/// <summary>
/// A small AVA-format set made here (deterministic for a seed) and a tiny FastRCNN bank config for it: per video
/// square JPEG rawframes (64×64 unless told) at 4 fps from timestamp 900, one or two persons (moving coloured boxes) annotated at every
/// second from 901 on, proposals = those boxes slightly shifted (score 0.95) plus a low-score stray one that the 0.85
/// threshold drops; <c>load_from</c> is a checkpoint of the model's seeded initial weights. Val only (train reads the
/// same files). Shared with bench/Cluster.Bench (linked source): no test framework here.
/// </summary>
public sealed class BankTestSet : IDisposable
{
    private const int Fps = 4, Start = 900;

    private BankTestSet(string root, string configPath, IReadOnlyList<string> valVideos)
    {
        Root = root;
        ConfigPath = configPath;
        ValVideos = valVideos;
    }

    public string Root { get; }
    public string ConfigPath { get; }
    public IReadOnlyList<string> ValVideos { get; }

    public static BankTestSet Create(string prefix, int videos = 6, int seconds = 10, int seed = 3, string? root = null, int frameSize = 64)
    {
        string folder = root is null ? Directory.CreateTempSubdirectory(prefix).FullName : Directory.CreateDirectory(Path.Combine(root, prefix.TrimEnd('-'))).FullName;
        var random = new Random(seed);
        var ann = new StringBuilder();
        var proposals = new StringBuilder("{\n");
        var ids = Enumerable.Range(0, videos).Select(v => $"vid{v:00}").ToList();
        bool firstProposal = true;
        foreach (string video in ids)
        {
            int persons = 1 + random.Next(2);
            var tracks = Enumerable.Range(0, persons).Select(_ => new Track(random)).ToList();
            WriteFrames(Path.Combine(folder, "rawframes", video), tracks, seconds, frameSize);
            for (int t = Start + 1; t < Start + seconds; t++)
            {
                string boxes = "";
                for (int p = 0; p < persons; p++)
                {
                    var (x1, y1, x2, y2) = tracks[p].Box((t - Start) * Fps);
                    ann.AppendLine(Invariant($"{video},{t:D4},{x1:0.000},{y1:0.000},{x2:0.000},{y2:0.000},{1 + random.Next(3)},{p}"));
                    boxes += Invariant($"[{x1 + 0.01:0.000}, {y1:0.000}, {x2:0.000}, {y2 - 0.01:0.000}, 0.95], ");
                }
                boxes += "[0.0, 0.0, 0.2, 0.2, 0.3]";
                proposals.Append(firstProposal ? "" : ",\n").Append(Invariant($"  \"{video},{t:D4}\": [{boxes}]"));
                firstProposal = false;
            }
        }
        proposals.Append("\n}\n");
        string annFile = Path.Combine(folder, "val.csv"), proposalFile = Path.Combine(folder, "val_proposals.json");
        File.WriteAllText(annFile, ann.ToString());
        File.WriteAllText(proposalFile, proposals.ToString());
        string checkpoint = Path.Combine(folder, "init.pth");
        string config = Path.Combine(folder, "bank_tiny.yaml");
        File.WriteAllText(config, Config(annFile, proposalFile, Path.Combine(folder, "rawframes"), checkpoint, Start + seconds, frameSize));
        SaveInitialWeights(config, checkpoint, seed);
        return new BankTestSet(folder, config, ids);
    }

    /// <summary>The val bank computed in this process over all videos at once (no cluster, no shards).</summary>
    public FeatureBank ReferenceBank()
    {
        var input = BankInput.From(ConfigLoader.Load(ConfigPath), "val");
        return BankShardJob.Prepare(input, ValVideos, "cpu", artifacts: null).Run();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void SaveInitialWeights(string config, string checkpoint, int seed)
    {
        var model = ExperimentConfig.From(ConfigLoader.Load(config)).Model;
        TorchSharp.torch.manual_seed(seed);
        using var built = ModelBuilder.Build(model, loader: null);
        var state = built.state_dict();
        new PthCheckpointWriter().Save(checkpoint, new TrainingState { Epoch = 1, Iter = 0, StateDict = state });
    }

    /// <summary>A person: a box of fixed size and colour moving linearly across the frame.</summary>
    private sealed class Track(Random random)
    {
        private readonly double x = 0.05 + 0.4 * random.NextDouble(), y = 0.05 + 0.4 * random.NextDouble();
        private readonly double dx = (random.NextDouble() - 0.5) * 0.01, dy = (random.NextDouble() - 0.5) * 0.01;
        private readonly double w = 0.25 + 0.2 * random.NextDouble(), h = 0.3 + 0.2 * random.NextDouble();
        public readonly Scalar Colour = new(random.Next(256), random.Next(256), random.Next(256));

        public (double X1, double Y1, double X2, double Y2) Box(int frame)
        {
            double x1 = Math.Clamp(x + dx * frame, 0, 1 - w), y1 = Math.Clamp(y + dy * frame, 0, 1 - h);
            return (x1, y1, x1 + w, y1 + h);
        }
    }

    private static void WriteFrames(string folder, IReadOnlyList<Track> tracks, int seconds, int size)
    {
        Directory.CreateDirectory(folder);
        for (int frame = 0; frame < (seconds + 1) * Fps; frame++)
        {
            using var image = new Mat(size, size, MatType.CV_8UC3, new Scalar(40 + frame % 7, 60, 80));
            foreach (var track in tracks)
            {
                var (x1, y1, x2, y2) = track.Box(frame);
                Cv2.Rectangle(image, new Point(x1 * size, y1 * size), new Point(x2 * size, y2 * size), track.Colour, thickness: -1);
            }
            Cv2.ImWrite(Path.Combine(folder, $"img_{frame + 1:00000}.jpg"), image);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Config(string annFile, string proposalFile, string frames, string checkpoint, int end, int size)
    {
        string Dataset(bool testMode) => $$"""
              dataset:
                type: AVADataset
                ann_file: {{annFile}}
                proposal_file: {{proposalFile}}
                data_prefix: {img: {{frames}}}
                fps: {{Fps}}
                timestamp_start: {{Start}}
                timestamp_end: {{end}}
                num_classes: 4
                person_det_score_thr: 0.85
                test_mode: {{(testMode ? "true" : "false")}}
                pipeline:
                  - {type: SampleAVAFrames, clip_len: 4, frame_interval: 2, test_mode: {{(testMode ? "true" : "false")}}}
                  - {type: RawFrameDecode}
                  - {type: Resize, scale: [{{size}}, {{size}}], keep_ratio: false}
                  - {type: FormatShape, input_format: NCTHW, collapse: true}
                  - {type: PackActionInputs}
            """;
        return $$$"""
            model:
              type: FastRCNN
              backbone: {type: ResNet3dSlowOnly, depth: 18, base_channels: 8, stage_blocks: [1, 1, 1, 1], spatial_strides: [1, 2, 2, 1],
                         conv1_kernel: [1, 7, 7], inflate: [0, 0, 1, 1], pretrained: null}
              roi_head:
                type: AVARoIHead
                bbox_roi_extractor: {type: SingleRoIExtractor3D, roi_layer_type: RoIAlign, output_size: 4, with_temporal_pool: true}
                bbox_head: {type: BBoxHeadAVA, in_channels: 64, num_classes: 4, multilabel: true, dropout_ratio: 0.5}
              data_preprocessor: {type: ActionDataPreprocessor, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], format_shape: NCTHW}
            train_dataloader:
              batch_size: 4
              sampler: {type: DefaultSampler, shuffle: true}
            {{{Dataset(testMode: false)}}}
            val_dataloader:
              batch_size: 4
              sampler: {type: DefaultSampler, shuffle: false}
            {{{Dataset(testMode: true)}}}
            load_from: {{{checkpoint}}}
            """;
    }
}
