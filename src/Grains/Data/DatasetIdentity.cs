using System.Security.Cryptography;
using System.Text;
using Cluster.Training.Configs;

namespace Cluster.Grains.Data;

/// <summary>
/// A stable name for the data a dataloader reads: a hash of its dataset's ann_file, data_root and data_prefix, so two
/// configs reading the same files share shard grains whatever their other settings.
/// </summary>
public static class DatasetIdentity
{
    public static string Of(ConfigDocument document, string dataloader = "train_dataloader")
    {
        var text = new StringBuilder();
        foreach (var key in new[] { "ann_file", "data_root", "data_prefix" })
        {
            document.TryGet($"{dataloader}.dataset.{key}", out var value);
            text.Append(key).Append('=');
            Append(text, value);
            text.Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static void Append(StringBuilder text, object? value)
    {
        if (value is IDictionary<string, object?> mapping)
        {
            text.Append('{');
            foreach (var (key, item) in mapping.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                text.Append(key).Append(':');
                Append(text, item);
                text.Append(';');
            }
            text.Append('}');
        }
        else
            text.Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
