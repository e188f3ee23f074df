using Cluster.Training.Configs;
using Cluster.Training.Data.Datasets;
using Cluster.Training.Data.Transforms;

namespace Cluster.Training.Data.Ava;

/// <summary>
/// MMAction2's <c>AVADataset</c> keys. Differences: <c>proposal_file</c> is our JSON (see
/// <see cref="AvaProposalFile"/>), <c>start_index</c> defaults to 1 (our rawframes start at img_00001.jpg), and
/// <c>num_classes</c> defaults to 81 (AVA 2.1's 80 actions + background 0).
/// </summary>
[ConfigType("AVADataset")]
public sealed class AvaDatasetConfig : DatasetConfig
{
    public const int DefaultNumClasses = 81;

    public string? ExcludeFile { get; init; }
    public string? LabelFile { get; init; }
    public string? ProposalFile { get; init; }
    public string FilenameTmpl { get; init; } = "img_{:05}.jpg";
    public int StartIndex { get; init; } = 1;
    public int Fps { get; init; } = 30;
    public int TimestampStart { get; init; } = 900;
    public int TimestampEnd { get; init; } = 1800;
    public double PersonDetScoreThr { get; init; } = 0.9;
    public int NumMaxProposals { get; init; } = 1000;

    /// <summary>Train on a subset of the action ids: they become classes 1..n (num_classes must be n + 1), and rows
    /// of other actions are dropped.</summary>
    public List<int>? CustomClasses { get; init; }

    public override ActionDataset Build()
    {
        var annFile = ResolveAnnFile();
        int numClasses = NumClasses ?? DefaultNumClasses;
        Validate(numClasses);
        var labelMap = LabelFile is null ? null : AvaLabelMap.Read(Resolve(LabelFile));
        var classOf = ClassMapping(numClasses, labelMap);
        var rows = AvaAnnotationFile.Read(annFile, CheckRow);
        var excluded = ExcludeFile is null ? [] : AvaExclusionFile.Read(Resolve(ExcludeFile));
        var proposals = ProposalFile is null ? null : AvaProposalFile.Read(Resolve(ProposalFile));
        var imgPrefix = Resolve(DataPrefix.Img);

        var samples = new List<AvaKeyframeSample>();
        foreach (var keyframe in rows.GroupBy(line => line.Row.Key))
        {
            if (excluded.Contains(keyframe.Key))
                continue;
            var relabelled = keyframe
                .Where(line => classOf(line.Row.ActionId) is not null)
                .Select(line => line.Row with { ActionId = classOf(line.Row.ActionId)!.Value })
                .ToList();
            if (relabelled.Count == 0)
                continue;
            var persons = AvaProposalRules.Persons(relabelled);
            var kept = KeptProposals(proposals, keyframe.Key);
            var rois = TestMode
                ? proposals is null ? persons.Select(p => new AvaRoi(p.Box, [])).ToList() : AvaProposalRules.TestRois(kept)
                : AvaProposalRules.TrainingRois(persons, kept);
            samples.Add(new AvaKeyframeSample(
                keyframe.Key, Path.Combine(imgPrefix, keyframe.Key.VideoId), keyframe.First().Line, persons, kept, rois));
        }
        if (samples.Count == 0)
            throw new InvalidDataException($"{annFile}: no keyframes left (none annotated, or all excluded or outside custom_classes)");

        var settings = new AvaDatasetSettings(numClasses, Fps, TimestampStart, (TimestampEnd - TimestampStart) * Fps,
            FilenameTmpl, StartIndex, Modality, TestMode, labelMap);
        return new AvaDataset(annFile, samples, settings, VideoPipeline.FromConfigs(Pipeline), SkipInvalid);
    }

    private void Validate(int numClasses)
    {
        if (numClasses < 2)
            throw new ArgumentException($"AVADataset.num_classes: must be at least 2 (background + one action), got {numClasses}");
        if (Fps <= 0)
            throw new ArgumentException($"AVADataset.fps: must be positive, got {Fps}");
        if (TimestampEnd <= TimestampStart)
            throw new ArgumentException($"AVADataset.timestamp_end ({TimestampEnd}) must be after timestamp_start ({TimestampStart})");
        if (PersonDetScoreThr is < 0 or > 1)
            throw new ArgumentException($"AVADataset.person_det_score_thr: must be in [0, 1], got {PersonDetScoreThr}");
        if (NumMaxProposals < 1)
            throw new ArgumentException($"AVADataset.num_max_proposals: must be positive, got {NumMaxProposals}");
    }

    /// <summary>Action id in the file → class index, or null for a row to drop (outside custom_classes).</summary>
    private Func<int, int?> ClassMapping(int numClasses, AvaLabelMap? labelMap)
    {
        if (CustomClasses is null)
            return action => action;
        if (CustomClasses.Count + 1 != numClasses)
            throw new ArgumentException(
                $"AVADataset.custom_classes: {CustomClasses.Count} classes need num_classes {CustomClasses.Count + 1}, got {numClasses}");
        var unknown = CustomClasses.FirstOrDefault(id => id < 1 || (labelMap is not null && !labelMap.Contains(id)), -1);
        if (unknown != -1)
            throw new ArgumentException(
                $"AVADataset.custom_classes: {unknown} is not an action id{(labelMap is null ? " (ids start at 1)" : " of the label map")}");
        var index = CustomClasses.Select((id, i) => (id, i)).ToDictionary(pair => pair.id, pair => pair.i + 1);
        return action => index.TryGetValue(action, out int mapped) ? mapped : null;
    }

    private string? CheckRow(AvaAnnotation row)
    {
        if (row.Key.Timestamp < TimestampStart || row.Key.Timestamp > TimestampEnd)
            return $"timestamp {row.Key.Timestamp} is outside timestamp_start..timestamp_end ({TimestampStart}..{TimestampEnd})";
        int numClasses = NumClasses ?? DefaultNumClasses;
        if (CustomClasses is null && (row.ActionId < 1 || row.ActionId >= numClasses))
            return $"action_id {row.ActionId} is outside 1..{numClasses - 1} (num_classes {numClasses})";
        return null;
    }

    /// <summary>MMAction2: a keyframe missing from the proposal file gets one whole-frame proposal of score 1 (here
    /// also one listed with no boxes, where MMAction2 would fail).</summary>
    private List<AvaProposal> KeptProposals(Dictionary<AvaKey, List<AvaProposal>>? proposals, AvaKey key)
    {
        if (proposals is null)
            return [];
        return proposals.TryGetValue(key, out var found) && found.Count > 0
            ? AvaProposalRules.Keep(found, PersonDetScoreThr, NumMaxProposals)
            : [new AvaProposal(key, new NormalizedBox(0, 0, 1, 1), 1f)];
    }
}
