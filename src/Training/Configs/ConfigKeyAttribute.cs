namespace Cluster.Training.Configs;

/// <summary>
/// Typed config sections are plain classes with <c>{ get; init; }</c> properties and defaults. The binder maps the
/// snake_case key of each property (FrozenStages → frozen_stages) unless this attribute names the key.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}
