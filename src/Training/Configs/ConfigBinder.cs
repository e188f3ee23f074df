using System.Collections;
using System.Reflection;

namespace Cluster.Training.Configs;

/// <summary>
/// Binds raw config trees to typed section classes (see the config conventions): keys are the snake_case property
/// names or [ConfigKey]; abstract section types are bound polymorphically through the <c>type</c> key and [ConfigType].
/// Every problem is a <see cref="ConfigException"/> naming the file that defined the value and its key path.
/// </summary>
public static class ConfigBinder
{
    public const string TypeKey = "type";

    public static T Bind<T>(ConfigDocument document, string keyPath) =>
        (T)Bind(typeof(T), document.Get(keyPath), keyPath, document)!;

    public static object? Bind(Type type, object? rawNode, string keyPath, ConfigDocument document) =>
        Bind(type, nullability: null, rawNode, keyPath, document);

    private static object? Bind(Type type, NullabilityInfo? nullability, object? raw, string keyPath, ConfigDocument document)
    {
        if (raw is null)
        {
            var nullable = Nullable.GetUnderlyingType(type) is not null ||
                           (!type.IsValueType && nullability?.ReadState == NullabilityState.Nullable);
            return nullable ? null : throw WrongType(document, keyPath, ExpectedName(type), raw);
        }
        type = Nullable.GetUnderlyingType(type) ?? type;

        if (type == typeof(object)) return RawTree.DeepCopy(raw);
        if (type == typeof(string)) return raw as string ?? throw WrongType(document, keyPath, "a string", raw);
        if (type == typeof(bool)) return raw as bool? ?? throw WrongType(document, keyPath, "a boolean", raw);
        if (type == typeof(long)) return raw as long? ?? throw WrongType(document, keyPath, "an integer", raw);
        if (type == typeof(int)) return BindInt(raw, keyPath, document);
        if (type == typeof(double)) return BindDouble(raw, keyPath, document);
        if (type == typeof(float)) return (float)BindDouble(raw, keyPath, document);
        if (type.IsEnum) return BindEnum(type, raw, keyPath, document);
        if (type == typeof(Dictionary<string, object?>))
            return raw is Dictionary<string, object?> ? RawTree.DeepCopy(raw) : throw WrongType(document, keyPath, "a mapping", raw);
        if (IsStringKeyedDictionary(type)) return BindDictionary(type, nullability, raw, keyPath, document);
        if (ListElementType(type) is { } elementType) return BindList(type, elementType, nullability, raw, keyPath, document);
        if (type.IsClass) return BindSection(type, raw, keyPath, document);
        throw new InvalidOperationException($"the config binder does not support properties of type {type}");
    }

    private static int BindInt(object raw, string keyPath, ConfigDocument document) => raw switch
    {
        long value when value is >= int.MinValue and <= int.MaxValue => (int)value,
        long => throw new ConfigException(document.FileOf(keyPath), keyPath, $"{RawTree.Describe(raw)} is out of range for a 32-bit integer"),
        _ => throw WrongType(document, keyPath, "an integer", raw),
    };

    private static double BindDouble(object raw, string keyPath, ConfigDocument document) => raw switch
    {
        double value => value,
        long value => value,
        _ => throw WrongType(document, keyPath, "a number", raw),
    };

    private static object BindEnum(Type type, object raw, string keyPath, ConfigDocument document)
    {
        var names = Enum.GetNames(type);
        if (raw is string text)
        {
            var match = names.FirstOrDefault(name => name == text || SnakeCase.From(name) == text) ??
                        names.FirstOrDefault(name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
            if (match is not null) return Enum.Parse(type, match);
        }
        var allowed = names.Select(SnakeCase.From).ToList();
        throw new ConfigException(document.FileOf(keyPath), keyPath,
            $"expected one of {string.Join(", ", allowed)}, got {RawTree.Describe(raw)}");
    }

    private static object BindDictionary(Type type, NullabilityInfo? nullability, object raw, string keyPath, ConfigDocument document)
    {
        if (raw is not Dictionary<string, object?> map) throw WrongType(document, keyPath, "a mapping", raw);
        var valueType = type.GetGenericArguments()[1];
        var valueNullability = nullability?.GenericTypeArguments.ElementAtOrDefault(1);
        var result = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        foreach (var (key, value) in map)
            result[key] = Bind(valueType, valueNullability, value, RawTree.JoinPath(keyPath, key), document);
        return result;
    }

    /// <summary>Lists and arrays; a single value where a list is expected binds as a one-element list.</summary>
    private static object BindList(Type type, Type elementType, NullabilityInfo? nullability, object raw, string keyPath, ConfigDocument document)
    {
        var elementNullability = type.IsArray ? nullability?.ElementType : nullability?.GenericTypeArguments.FirstOrDefault();
        var items = raw as List<object?> ?? [raw];
        var bound = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        for (var i = 0; i < items.Count; i++)
            bound.Add(Bind(elementType, elementNullability, items[i], raw is List<object?> ? RawTree.JoinPath(keyPath, i.ToString()) : keyPath, document));
        if (!type.IsArray) return bound;
        var array = Array.CreateInstance(elementType, bound.Count);
        bound.CopyTo(array, 0);
        return array;
    }

    private static object BindSection(Type declaredType, object raw, string keyPath, ConfigDocument document)
    {
        if (raw is not Dictionary<string, object?> map) throw WrongType(document, keyPath, "a mapping", raw);
        var concreteType = ResolveConcreteType(declaredType, map, keyPath, document);
        var consumesTypeKey = SectionTypes.TypeNamesOf(concreteType).Count > 0;
        var members = SectionTypes.MembersOf(concreteType);
        var section = Activator.CreateInstance(concreteType) ??
                      throw new InvalidOperationException($"cannot create config section {concreteType.Name}");

        foreach (var (key, value) in map)
        {
            if (key == TypeKey && consumesTypeKey) continue;
            var childPath = RawTree.JoinPath(keyPath, key);
            if (!members.TryGetValue(key, out var member))
                throw new ConfigException(document.FileOf(childPath), childPath,
                    $"unknown key for {DescribeSection(concreteType)}" + Suggestions.DidYouMean(key, members.Keys, listAllOtherwise: true));
            member.Property.SetValue(section, Bind(member.Property.PropertyType, member.Nullability, value, childPath, document));
        }
        foreach (var missing in members.Values.Where(m => m.IsRequired && !map.ContainsKey(m.Key)))
        {
            var missingPath = RawTree.JoinPath(keyPath, missing.Key);
            throw new ConfigException(document.FileOf(missingPath), missingPath, $"missing required key for {DescribeSection(concreteType)}");
        }
        return section;
    }

    private static Type ResolveConcreteType(Type declaredType, Dictionary<string, object?> map, string keyPath, ConfigDocument document)
    {
        var typePath = RawTree.JoinPath(keyPath, TypeKey);
        map.TryGetValue(TypeKey, out var typeValue);
        if (declaredType.IsAbstract)
        {
            var known = SectionTypes.DerivedTypesOf(declaredType);
            return typeValue switch
            {
                null when !map.ContainsKey(TypeKey) => throw new ConfigException(document.FileOf(typePath), typePath,
                    $"missing required key (known types: {string.Join(", ", known.Keys)})"),
                string name when known.TryGetValue(name, out var concrete) => concrete,
                string name => throw new ConfigException(document.FileOf(typePath), typePath,
                    $"unknown type '{name}'" + Suggestions.DidYouMean(name, known.Keys, listAllOtherwise: false) +
                    $"; known types: {string.Join(", ", known.Keys)}"),
                _ => throw WrongType(document, typePath, "a type name", typeValue),
            };
        }
        var ownNames = SectionTypes.TypeNamesOf(declaredType);
        if (ownNames.Count > 0 && map.ContainsKey(TypeKey) && !(typeValue is string given && ownNames.Contains(given)))
            throw new ConfigException(document.FileOf(typePath), typePath,
                $"expected type {string.Join(" or ", ownNames)}, got {RawTree.Describe(typeValue)}");
        return declaredType;
    }

    private static bool IsStringKeyedDictionary(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string);

    private static Type? ListElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) ||
               definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static string DescribeSection(Type type) =>
        SectionTypes.TypeNamesOf(type) is { Count: > 0 } names ? names[0] : type.Name;

    private static string ExpectedName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "a boolean";
        if (type == typeof(int) || type == typeof(long)) return "an integer";
        if (type == typeof(double) || type == typeof(float)) return "a number";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(SnakeCase.From));
        if (ListElementType(type) is not null) return "a list";
        return "a mapping";
    }

    private static ConfigException WrongType(ConfigDocument document, string keyPath, string expected, object? got) =>
        new(document.FileOf(keyPath), keyPath, $"expected {expected}, got {RawTree.Describe(got)}");
}
