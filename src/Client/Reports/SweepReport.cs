using System.Text;
using Cluster.Abstractions.Sweeps;

namespace Cluster.Client.Reports;

/// <summary>
/// <c>cluster sweep report</c>'s files, a pure function of a <see cref="SweepStatus"/>: <c>results.csv</c>,
/// <c>results.json</c>, <c>learning_curves.png</c> and one <c>param_&lt;key&gt;.png</c> per searched key.
/// </summary>
internal static class SweepReport
{
    public const int Width = 1000;
    public const int Height = 600;

    /// <summary>Writes the report into <paramref name="directory"/> (created if missing); returns the files' paths.</summary>
    public static IReadOnlyList<string> Write(SweepStatus status, string directory)
    {
        Directory.CreateDirectory(directory);
        var table = SweepTable.From(status);
        var written = new List<string>();
        void Text(string name, string content)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            written.Add(path);
        }
        void Png(string name, ScottPlot.Plot plot)
        {
            var path = Path.Combine(directory, name);
            plot.SavePng(path, Width, Height);
            written.Add(path);
        }
        Text("results.csv", ResultsCsv.Write(table));
        Text("results.json", ResultsJson.Write(table));
        Png("learning_curves.png", LearningCurvesPlot.Build(table));
        foreach (var key in table.ParameterKeys) Png(ParameterFileName(key), ParameterPlot.Build(table, key));
        return written;
    }

    /// <summary><c>param_&lt;key path&gt;.png</c>, characters a file name should not hold replaced by '_'.</summary>
    internal static string ParameterFileName(string key) =>
        $"param_{new string(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray())}.png";
}
