using Cluster.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Bench;

/// <summary>The baseline: the shortest correct TorchSharp training loop, with no engine around it.</summary>
public static class HandWrittenTrainLoop
{
    public static void RunEpoch(Recognizer model, ReplayedBatches batches, double lr, double momentum, double weightDecay)
    {
        model.train();
        using var optimizer = optim.SGD(model.parameters(), lr, momentum, weight_decay: weightDecay);
        foreach (var batch in batches.Epoch())
        {
            using (batch)
            using (NewDisposeScope())
            {
                var loss = nn.functional.cross_entropy(model.forward(batch.Inputs), batch.Labels);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }
    }
}
