namespace Cluster.Training.Models.Backbones;

/// <summary>Checks of the per-stage settings shared by the ResNet backbones.</summary>
internal static class StageSettings
{
    public static void Validate(int numStages, IReadOnlyList<int> outIndices, int frozenStages, string keyPath,
        params (string Key, int Count)[] perStageLists)
    {
        if (numStages is < 1 or > 4)
            throw new ArgumentException($"{keyPath}.num_stages: {numStages} is not between 1 and 4");
        foreach (var (key, count) in perStageLists)
            if (count < numStages)
                throw new ArgumentException($"{keyPath}.{key}: {count} entries for {numStages} stages");
        if (outIndices.Count == 0 || outIndices.Any(i => i < 0 || i >= numStages))
            throw new ArgumentException(
                $"{keyPath}.out_indices: [{string.Join(", ", outIndices)}] must name stages 0..{numStages - 1}");
        if (frozenStages > numStages)
            throw new ArgumentException($"{keyPath}.frozen_stages: {frozenStages} exceeds num_stages {numStages}");
        if (outIndices.Count != 1)
            throw new ArgumentException($"{keyPath}.out_indices: a recogniser backbone returns one stage, got " +
                                        $"[{string.Join(", ", outIndices)}]");
    }
}
