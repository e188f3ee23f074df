using System.Text;

namespace Cluster.Training.Data.Ava;

/// <summary>AVA's excluded-timestamps CSV: <c>video_id,timestamp</c> per line (keyframes left out of training and
/// evaluation).</summary>
public static class AvaExclusionFile
{
    public static HashSet<AvaKey> Read(string file)
    {
        AvaFileErrors.RequireFile(file, "AVA exclusion file");
        var keys = new HashSet<AvaKey>();
        foreach (var (text, line) in AvaFileErrors.Lines(file))
        {
            var fields = text.Split(',');
            if (fields.Length != 2)
                throw AvaFileErrors.At(file, line, $"expected 2 fields 'video_id,timestamp', got {fields.Length}");
            keys.Add(AvaFileErrors.ParseKey(fields[0], fields[1], file, line));
        }
        return keys;
    }

    public static void Write(string file, IEnumerable<AvaKey> keys)
    {
        var text = new StringBuilder();
        foreach (var key in keys)
            text.Append(key.ToString()).Append('\n');
        File.WriteAllText(file, text.ToString());
    }
}
