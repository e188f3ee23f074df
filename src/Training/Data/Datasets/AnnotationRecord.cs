namespace Cluster.Training.Data.Datasets;

/// <summary>
/// One line of an annotation list: the video file or frame directory (prefix already joined), its labels (one, or
/// several for multi-label lists; -1 for an unlabelled line) and, for rawframes, frame count and offset.
/// </summary>
public sealed record AnnotationRecord(string Path, int[] Labels, int LineNumber, int TotalFrames = 0, int Offset = 0);
