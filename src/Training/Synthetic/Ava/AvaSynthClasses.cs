using Cluster.Training.Data.Ava;

namespace Cluster.Training.Synthetic;

/// <summary>
/// The action classes of the synthetic AVA set. Every person at every keyframe has one motion class, visible in a
/// short clip (its own movement), and, in scenes red and green, that scene's class: the scene is hidden except during
/// a few cue seconds of the video, so only long-term context tells it at most keyframes.
/// </summary>
public static class AvaSynthClasses
{
    public const int Stand = 1;
    public const int Walk = 2;
    public const int Jump = 3;
    public const int SupportRed = 4;
    public const int SupportGreen = 5;

    /// <summary>num_classes for the dataset config: background 0 + five actions.</summary>
    public const int NumClasses = 6;

    public static readonly int[] MotionClasses = [Stand, Walk, Jump];
    public static readonly int[] SceneClasses = [SupportRed, SupportGreen];

    /// <summary>Scenes: 0 red, 1 green, 2 blue (no scene class).</summary>
    public const int SceneCount = 3;

    public static AvaLabelMap LabelMap { get; } = new([
        new AvaLabel(Stand, "stand"),
        new AvaLabel(Walk, "walk"),
        new AvaLabel(Jump, "jump"),
        new AvaLabel(SupportRed, "support red"),
        new AvaLabel(SupportGreen, "support green"),
    ]);

    /// <summary>The scene's action class, or null for the blue scene.</summary>
    public static int? SceneClass(int scene) => scene switch
    {
        0 => SupportRed,
        1 => SupportGreen,
        _ => null,
    };
}
