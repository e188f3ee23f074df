namespace Cluster.Training.Models.Init;

/// <summary>
/// Marks a C# base class that only shares code between modules and has no MMAction2 counterpart, so MMEngine's
/// <c>layer</c> selection (<see cref="PyTorchTypeNames.BaseClassNames"/>) looks through it to the next base class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CodeSharingBaseAttribute : Attribute;
