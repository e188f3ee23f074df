using Cluster.Abstractions.Sweeps;
using ScottPlot;

namespace Cluster.Client.Reports;

/// <summary>How a trial looks in every plot: its own palette colour, the best one red and heavy, early-stopped ones dashed
/// with a cross where they stopped, failed or cancelled ones dotted.</summary>
internal static class TrialStyle
{
    public static readonly Color Best = Color.FromHex("#d62728");
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    public static Color ColorOf(TrialRow row) =>
        row.IsBest ? Best : Palette.GetColor(row.Index % 10 == 3 ? 9 : row.Index % 10).WithAlpha(0.85); // palette red (3) is the best's

    public static LinePattern LineOf(TrialRow row) => row.State switch
    {
        TrialState.Stopped => LinePattern.Dashed,
        TrialState.Failed or TrialState.Cancelled => LinePattern.Dotted,
        _ => LinePattern.Solid,
    };

    /// <summary>The marker of a trial's final point: a cross where the scheduler stopped it.</summary>
    public static MarkerShape EndMarkerOf(TrialRow row) => row.IsBest ? MarkerShape.FilledDiamond : row.State switch
    {
        TrialState.Stopped => MarkerShape.Cross,
        TrialState.Failed or TrialState.Cancelled => MarkerShape.OpenTriangleUp,
        TrialState.Completed => MarkerShape.FilledCircle,
        _ => MarkerShape.OpenCircle,
    };

    public static string Label(TrialRow row) => row.State switch
    {
        TrialState.Stopped => $"{SweepTable.ShortName(row)} stopped @{row.Epochs}",
        TrialState.Completed => SweepTable.ShortName(row),
        _ => $"{SweepTable.ShortName(row)} {row.State.ToString().ToLowerInvariant()}",
    };
}
