namespace Cluster.Training.Lfb;

/// <summary>A bank file that is not one, is truncated or contradicts itself; the message is one line naming the file.</summary>
public sealed class FeatureBankFormatException(string source, string problem)
    : IOException($"feature bank '{source}' {problem}")
{
    public string BankSource { get; } = source;
}
