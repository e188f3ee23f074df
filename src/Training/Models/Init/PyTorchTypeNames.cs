using TorchSharp;

namespace Cluster.Training.Models.Init;

/// <summary>
/// The PyTorch class name of a TorchSharp module and the names of its direct PyTorch base classes, which is what
/// MMEngine's <c>layer</c> selection compares against (<c>m.__class__.__name__</c> and <c>m.__class__.__bases__</c>).
/// </summary>
public static class PyTorchTypeNames
{
    private static readonly Dictionary<string, string[]> DirectBases = new()
    {
        ["Conv1d"] = ["_ConvNd"], ["Conv2d"] = ["_ConvNd"], ["Conv3d"] = ["_ConvNd"],
        ["ConvTranspose1d"] = ["_ConvTransposeNd"], ["ConvTranspose2d"] = ["_ConvTransposeNd"],
        ["ConvTranspose3d"] = ["_ConvTransposeNd"],
        ["BatchNorm1d"] = ["_BatchNorm"], ["BatchNorm2d"] = ["_BatchNorm"], ["BatchNorm3d"] = ["_BatchNorm"],
        ["InstanceNorm1d"] = ["_InstanceNorm"], ["InstanceNorm2d"] = ["_InstanceNorm"],
        ["InstanceNorm3d"] = ["_InstanceNorm"],
        ["MaxPool1d"] = ["_MaxPoolNd"], ["MaxPool2d"] = ["_MaxPoolNd"], ["MaxPool3d"] = ["_MaxPoolNd"],
        ["AvgPool1d"] = ["_AvgPoolNd"], ["AvgPool2d"] = ["_AvgPoolNd"], ["AvgPool3d"] = ["_AvgPoolNd"],
        ["AdaptiveAvgPool1d"] = ["_AdaptiveAvgPoolNd"], ["AdaptiveAvgPool2d"] = ["_AdaptiveAvgPoolNd"],
        ["AdaptiveAvgPool3d"] = ["_AdaptiveAvgPoolNd"],
        ["Dropout"] = ["_DropoutNd"], ["Dropout2d"] = ["_DropoutNd"], ["Dropout3d"] = ["_DropoutNd"],
    };

    /// <summary>TorchSharp's built-in module classes carry PyTorch's names; ours carry MMAction2's.</summary>
    public static string ClassName(torch.nn.Module module) => WithoutArity(module.GetType().Name);

    /// <summary>
    /// TorchSharp's own classes: PyTorch's private bases from the table, else <c>Module</c>. Our classes mirror
    /// MMAction2's hierarchy, so their C# base class is the answer (TSNHead → BaseHead), skipping the
    /// <see cref="CodeSharingBaseAttribute"/> ones.
    /// </summary>
    public static IReadOnlyList<string> BaseClassNames(torch.nn.Module module)
    {
        var type = module.GetType();
        // Our BatchNorm2d/3d stand in for PyTorch's and so take their bases from the table too.
        if (DirectBases.TryGetValue(ClassName(module), out var bases)) return bases;
        if (type.Assembly == typeof(torch.nn.Module).Assembly) return ["Module"];
        var baseType = type.BaseType!;
        while (baseType.IsDefined(typeof(CodeSharingBaseAttribute), inherit: false)) baseType = baseType.BaseType!;
        return [WithoutArity(baseType.Name)];
    }

    private static string WithoutArity(string typeName)
    {
        var arity = typeName.IndexOf('`');
        return arity < 0 ? typeName : typeName[..arity];
    }

    /// <summary>MMEngine's selection rule: the class name or a direct base class name is listed.</summary>
    public static bool IsSelectedBy(torch.nn.Module module, IReadOnlyCollection<string> layers) =>
        layers.Contains(ClassName(module)) || BaseClassNames(module).Any(layers.Contains);
}
