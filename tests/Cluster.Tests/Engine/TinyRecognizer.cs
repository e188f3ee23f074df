using Cluster.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Tests.Engine;

/// <summary>Linear → ReLU → dropout → linear over inputs [N, V, F]; views averaged as softmax scores at test time.</summary>
internal sealed class TinyRecognizer : Recognizer
{
    private readonly Linear fc1;
    private readonly Dropout dropout;
    private readonly Linear fc;

    public TinyRecognizer(int features, int classes, double dropoutRatio = 0.5) : base(nameof(TinyRecognizer))
    {
        fc1 = nn.Linear(features, 8);
        dropout = nn.Dropout(dropoutRatio);
        fc = nn.Linear(8, classes);
        NumClasses = classes;
        RegisterComponents();
    }

    public override int NumClasses { get; }

    /// <summary>Whether the last <see cref="Predict"/> ran in eval mode without autograd.</summary>
    public bool LastPredictWasEvalNoGrad { get; private set; }

    public override Tensor forward(Tensor inputs) =>
        fc.forward(dropout.forward(nn.functional.relu(fc1.forward(inputs.mean([1])))));

    public override Tensor Loss(Tensor logits, Tensor labels) =>
        labels.dim() == 2
            ? nn.functional.binary_cross_entropy_with_logits(logits, labels)
            : nn.functional.cross_entropy(logits, labels);

    public override Tensor Predict(Tensor inputs)
    {
        LastPredictWasEvalNoGrad = !training && !is_grad_enabled();
        long n = inputs.shape[0], v = inputs.shape[1];
        var perView = forward(inputs.reshape(n * v, 1, inputs.shape[2])).softmax(1);
        return perView.reshape(n, v, NumClasses).mean([1]);
    }
}
