namespace Cluster.Training.Configs;

/// <summary>
/// Marks a concrete config class as the binding for entries whose <c>type:</c> equals <see cref="Name"/>
/// (MMEngine's registry names: "ResNet", "SampleFrames", "MultiStepLR", "Kaiming", ...). A property whose declared
/// type is an abstract section class is bound polymorphically: the binder reads <c>type</c> and picks the derived class
/// with that name; an unknown type is an error listing the known ones.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConfigTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
