using Cluster.Training.Data.Ava;

namespace Cluster.Training.Data.Detection;

/// <summary>
/// Where one RoI of a batch comes from: its keyframe, its box in normalised coordinates (for evaluation and for
/// writing a feature bank) and the batch row whose clip it lies in.
/// </summary>
public readonly record struct RoiInfo(AvaKey Key, NormalizedBox Box, int BatchRow);
