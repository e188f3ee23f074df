namespace Cluster.Training.Data.Ava;

/// <summary>An AVA keyframe: a video and an integer second (AVA's timestamps run 900–1800 at 30 fps).</summary>
public readonly record struct AvaKey(string VideoId, int Timestamp)
{
    public override string ToString() => $"{VideoId},{Timestamp:D4}";
}

/// <summary>A box with corners normalised to [0, 1] by the frame's width and height, as AVA's CSVs store them.</summary>
public readonly record struct NormalizedBox(float X1, float Y1, float X2, float Y2)
{
    public float Area => Math.Max(0f, X2 - X1) * Math.Max(0f, Y2 - Y1);

    /// <summary>Intersection over union without MMDetection's +1 (AVA's evaluation protocol).</summary>
    public float Iou(NormalizedBox other)
    {
        float width = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        float height = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (width <= 0 || height <= 0) return 0f;
        float intersection = width * height;
        return intersection / (Area + other.Area - intersection);
    }
}

/// <summary>One row of an AVA annotation CSV: <c>video_id,timestamp,x1,y1,x2,y2,action_id,person_id</c>.</summary>
public sealed record AvaAnnotation(AvaKey Key, NormalizedBox Box, int ActionId, int PersonId);

/// <summary>A person proposal (detector output) with its score, for one keyframe.</summary>
public sealed record AvaProposal(AvaKey Key, NormalizedBox Box, float Score);

/// <summary>One scored action detection: what a detector outputs and AVA's frame mAP evaluates.</summary>
public sealed record AvaDetection(AvaKey Key, NormalizedBox Box, int ActionId, float Score);
