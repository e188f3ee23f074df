using Cluster.Training.Configs;
using Cluster.Training.Sweeps;

namespace Cluster.Tests.Sweeps;

public class TrialParametersTests
{
    [Fact]
    public void OverridesReadBackAsTheSameTypedValues()
    {
        var parameters = new Dictionary<string, object>
        {
            ["a.float"] = 1.0, ["a.small"] = 1.5e-5, ["a.int"] = 8L, ["a.flag"] = false,
            ["a.word"] = "SGD", ["a.numeric_text"] = "1e-3", ["a.null_text"] = "null", ["a.quoted"] = "it's \"x\": y",
        };
        var document = ConfigLoader.LoadMergedUnvalidated("a: {}\n", "t", TrialParameters.ToOverrides(parameters));
        Assert.All(parameters, p =>
        {
            var value = document.Get(p.Key);
            Assert.Equal(p.Value, value);
            Assert.IsType(p.Value.GetType(), value);
        });
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.5e-7)]
    [InlineData(8L)]
    [InlineData(true)]
    [InlineData("SGD")]
    [InlineData("0.1")]
    [InlineData("")]
    public void YamlTextRoundTrips(object value)
    {
        var back = TrialParameters.FromYamlText(TrialParameters.ToYamlText(value));
        Assert.Equal(value, back);
        Assert.IsType(value.GetType(), back);
    }

    [Fact]
    public void DisplayIsShort()
    {
        Assert.Equal("0.00123457", TrialParameters.Display(0.00123456789));
        Assert.Equal("8", TrialParameters.Display(8L));
        Assert.Equal("SGD", TrialParameters.Display("SGD"));
        Assert.Equal("true", TrialParameters.Display(true));
    }
}
