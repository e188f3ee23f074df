using Cluster.Training.Models.Heads;
using Cluster.Training.Models.Init;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Recognizers;

/// <summary>
/// What Recognizer2D and Recognizer3D share: a backbone and a <c>cls_head</c> registered under MMAction2's names
/// (so checkpoints carry <c>backbone.*</c> and <c>cls_head.*</c>), the head's loss, and init_cfg.
/// Subclasses only say how their input layout reaches the backbone.
/// </summary>
[CodeSharingBase]
public abstract class BackboneHeadRecognizer : Recognizer, IInitWeights
{
    // Protected rather than private: RegisterComponents only sees the non-private fields of base classes.
    protected readonly nn.Module<Tensor, Tensor> backbone;
    protected readonly BaseHead cls_head;
    private readonly IReadOnlyList<InitConfig>? initCfg;

    protected BackboneHeadRecognizer(string name, nn.Module<Tensor, Tensor> backbone, BaseHead clsHead,
        IReadOnlyList<InitConfig>? initCfg) : base(name)
    {
        this.backbone = backbone;
        cls_head = clsHead;
        this.initCfg = initCfg;
        RegisterComponents();
    }

    public override int NumClasses => cls_head.NumClasses;

    public override Tensor Loss(Tensor logits, Tensor labels) => cls_head.Loss(logits, labels);

    public void InitWeights(IPretrainedLoader? loader) => WeightInitializer.InitWeights(this, initCfg, loader);
}
