namespace Cluster.Tests;

/// <summary>
/// Tests that seed torch's process-wide generator and expect exact sequences (resume exactness, seeded training runs)
/// run in this collection, alone: any test drawing random tensors in parallel would advance the same generator.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalTorchRandomCollection
{
    public const string Name = "torch's global generator";
}
