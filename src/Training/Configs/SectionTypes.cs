using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Cluster.Training.Configs;

/// <summary>Reflection facts about config section classes, computed once per type.</summary>
internal static class SectionTypes
{
    public sealed record Member(string Key, PropertyInfo Property, bool IsRequired, NullabilityInfo Nullability);

    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Member>> MembersByType = new();
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> DerivedByName = new();

    /// <summary>Settable public properties keyed by their config key ([ConfigKey] or snake_case of the name).</summary>
    public static IReadOnlyDictionary<string, Member> MembersOf(Type type) => MembersByType.GetOrAdd(type, static t =>
    {
        var nullability = new NullabilityInfoContext();
        var members = new Dictionary<string, Member>();
        foreach (var property in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0) continue;
            var key = property.GetCustomAttribute<ConfigKeyAttribute>()?.Key ?? SnakeCase.From(property.Name);
            var member = new Member(key, property, property.IsDefined(typeof(RequiredMemberAttribute)), nullability.Create(property));
            if (!members.TryAdd(key, member))
                throw new InvalidOperationException($"{t.Name}: two properties map to config key '{key}'");
        }
        return members;
    });

    /// <summary>The <c>type:</c> names a concrete section class answers to.</summary>
    public static IReadOnlyList<string> TypeNamesOf(Type type) =>
        type.GetCustomAttributes<ConfigTypeAttribute>(inherit: false).Select(a => a.Name).ToList();

    /// <summary>Concrete [ConfigType] subclasses of an abstract section type, looked up in its assembly.</summary>
    public static IReadOnlyDictionary<string, Type> DerivedTypesOf(Type abstractType) => DerivedByName.GetOrAdd(abstractType, static baseType =>
    {
        var byName = new SortedDictionary<string, Type>(StringComparer.Ordinal);
        foreach (var candidate in baseType.Assembly.GetTypes().Where(t => !t.IsAbstract && t.IsSubclassOf(baseType)))
        {
            foreach (var name in TypeNamesOf(candidate))
            {
                if (!byName.TryAdd(name, candidate))
                    throw new InvalidOperationException(
                        $"config type '{name}' is claimed by both {byName[name].Name} and {candidate.Name} (under {baseType.Name})");
            }
        }
        return byName;
    });
}
