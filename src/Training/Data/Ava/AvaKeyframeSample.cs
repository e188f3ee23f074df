namespace Cluster.Training.Data.Ava;

/// <summary>A ground-truth person at a keyframe: one box and all its actions (AVA's rows with the same box).</summary>
public sealed record AvaPerson(NormalizedBox Box, int[] Actions, int PersonId);

/// <summary>A region the detector classifies: its box and the actions it is trained towards (empty at test time).</summary>
public sealed record AvaRoi(NormalizedBox Box, int[] Actions);

/// <summary>
/// One sample of an <see cref="AvaDataset"/>: an annotated, not excluded keyframe with its ground truth, the
/// proposals kept after the score threshold, and the RoIs the sample feeds the detector.
/// </summary>
/// <param name="Line">The first annotation line of this keyframe (for messages).</param>
public sealed record AvaKeyframeSample(
    AvaKey Key,
    string FrameDir,
    int Line,
    IReadOnlyList<AvaPerson> Persons,
    IReadOnlyList<AvaProposal> Proposals,
    IReadOnlyList<AvaRoi> Rois);
