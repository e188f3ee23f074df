using Cluster.Training.Models.Init;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Backbones;

/// <summary>
/// What every ResNet block (2D and 3D, basic and bottleneck) shares: relu(residual(x) + identity), the identity
/// being <c>downsample(x)</c> where the block changes shape, else x.
/// </summary>
[CodeSharingBase]
public abstract class ResidualBlock : nn.Module<Tensor, Tensor>
{
    // Protected rather than private: RegisterComponents only sees the non-private fields of base classes.
    protected readonly nn.Module<Tensor, Tensor>? downsample;
    protected readonly ReLU relu;

    protected ResidualBlock(string name, nn.Module<Tensor, Tensor>? downsample) : base(name)
    {
        this.downsample = downsample;
        relu = nn.ReLU(inplace: true);
    }

    /// <summary>The block's conv path, before the identity is added.</summary>
    protected abstract Tensor Residual(Tensor x);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : downsample.forward(x);
        return relu.forward(Residual(x).add_(identity)).MoveToOuterDisposeScope();
    }
}
