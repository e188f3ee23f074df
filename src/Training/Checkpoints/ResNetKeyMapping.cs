using System.Text.RegularExpressions;

namespace Cluster.Training.Checkpoints;

/// <summary>
/// Renames parameter keys between torchvision's ResNet naming and MMAction2's ConvModule naming:
/// <c>convK.weight</c> ↔ <c>convK.conv.weight</c>, <c>bnK.X</c> ↔ <c>convK.bn.X</c> (stem and blocks alike),
/// <c>downsample.0.X</c> ↔ <c>downsample.conv.X</c>, <c>downsample.1.X</c> ↔ <c>downsample.bn.X</c>.
/// Only the module that directly owns the tensor is renamed; a key no rule matches is returned unchanged.
/// </summary>
public static partial class ResNetKeyMapping
{
    private static readonly (Regex Pattern, string Replacement)[] TorchvisionToMMAction =
    [
        (TorchvisionConv(), "${prefix}conv${index}.conv.${tensor}"),
        (TorchvisionBatchNorm(), "${prefix}conv${index}.bn.${tensor}"),
        (TorchvisionDownsampleConv(), "${prefix}downsample.conv.${tensor}"),
        (TorchvisionDownsampleBatchNorm(), "${prefix}downsample.bn.${tensor}"),
    ];

    private static readonly (Regex Pattern, string Replacement)[] MMActionToTorchvision =
    [
        (MMActionConv(), "${prefix}conv${index}.${tensor}"),
        (MMActionBatchNorm(), "${prefix}bn${index}.${tensor}"),
        (MMActionDownsampleConv(), "${prefix}downsample.0.${tensor}"),
        (MMActionDownsampleBatchNorm(), "${prefix}downsample.1.${tensor}"),
    ];

    /// <summary><c>layer1.0.bn2.weight</c> → <c>layer1.0.conv2.bn.weight</c>.</summary>
    public static string ToMMAction(string torchvisionKey) => Rename(torchvisionKey, TorchvisionToMMAction);

    /// <summary><c>layer1.0.conv2.bn.weight</c> → <c>layer1.0.bn2.weight</c>.</summary>
    public static string ToTorchvision(string mmactionKey) => Rename(mmactionKey, MMActionToTorchvision);

    /// <summary>The other names a key may have in a checkpoint of the other naming scheme (none when no rule applies).</summary>
    public static IEnumerable<string> Alternatives(string key) =>
        new[] { ToTorchvision(key), ToMMAction(key) }.Where(alternative => alternative != key).Distinct();

    private static string Rename(string key, (Regex Pattern, string Replacement)[] rules)
    {
        foreach (var (pattern, replacement) in rules)
        {
            if (pattern.IsMatch(key))
            {
                return pattern.Replace(key, replacement);
            }
        }
        return key;
    }

    [GeneratedRegex(@"^(?<prefix>(?:.*\.)?)conv(?<index>\d+)\.(?<tensor>[^.]+)$")]
    private static partial Regex TorchvisionConv();

    [GeneratedRegex(@"^(?<prefix>(?:.*\.)?)bn(?<index>\d+)\.(?<tensor>[^.]+)$")]
    private static partial Regex TorchvisionBatchNorm();

    [GeneratedRegex(@"^(?<prefix>(?:.*\.)?)downsample\.0\.(?<tensor>[^.]+)$")]
    private static partial Regex TorchvisionDownsampleConv();

    [GeneratedRegex(@"^(?<prefix>(?:.*\.)?)downsample\.1\.(?<tensor>[^.]+)$")]
    private static partial Regex TorchvisionDownsampleBatchNorm();

    [GeneratedRegex(@"^(?<prefix>(?:.*\.)?)conv(?<index>\d+)\.conv\.(?<tensor>[^.]+)$")]
    private static partial Regex MMActionConv();

    [GeneratedRegex(@"^(?<prefix>(?:.*\.)?)conv(?<index>\d+)\.bn\.(?<tensor>[^.]+)$")]
    private static partial Regex MMActionBatchNorm();

    [GeneratedRegex(@"^(?<prefix>(?:.*\.)?)downsample\.conv\.(?<tensor>[^.]+)$")]
    private static partial Regex MMActionDownsampleConv();

    [GeneratedRegex(@"^(?<prefix>(?:.*\.)?)downsample\.bn\.(?<tensor>[^.]+)$")]
    private static partial Regex MMActionDownsampleBatchNorm();
}
