using Cluster.Training.Hooks;

namespace Cluster.Tests.Hooks;

public class MetricRulesTests
{
    [Theory]
    [InlineData("acc/top1", MetricRule.Greater)]
    [InlineData("mAP", MetricRule.Greater)]
    [InlineData("AR@100", MetricRule.Greater)]
    [InlineData("acc/mean_average_precision", MetricRule.Greater)]
    [InlineData("loss", MetricRule.Less)]
    [InlineData("val/loss_cls", MetricRule.Less)]
    public void RuleIsInferredFromTheKeyLikeMMEngine(string key, MetricRule expected) =>
        Assert.Equal(expected, MetricRules.Infer(key, "checkpoint"));

    [Fact]
    public void UninferableKeyNeedsAnExplicitRule()
    {
        var error = Assert.Throws<ArgumentException>(() => MetricRules.Resolve(null, "f1_score", "EarlyStoppingHook"));
        Assert.Contains("f1_score", error.Message);
        Assert.Equal(MetricRule.Less, MetricRules.Resolve("less", "f1_score", "EarlyStoppingHook"));
    }
}
