using Cluster.Training.Sweeps;

namespace Cluster.Tests.Sweeps;

public class SweepSettingsTests
{
    [Theory]
    [InlineData(0.99, MetricMode.Max, true)]
    [InlineData(0.995, MetricMode.Max, true)]
    [InlineData(0.98, MetricMode.Max, false)]
    [InlineData(0.99, MetricMode.Min, true)]
    [InlineData(0.5, MetricMode.Min, true)]
    [InlineData(1.2, MetricMode.Min, false)]
    [InlineData(double.NaN, MetricMode.Max, false)]
    public void MetricTargetIsReachedAtOrBeyondTheTargetInTheModesDirection(double metric, MetricMode mode, bool reached) =>
        Assert.Equal(reached, new StopConditions(null, 0.99).TargetReached(metric, mode));

    [Fact]
    public void WithoutATargetNothingIsReached() => Assert.False(StopConditions.None.TargetReached(1.0, MetricMode.Max));

    [Fact]
    public void IntegralQuniformGivesIntegersAndFloatQuniformExactMultiples()
    {
        Assert.Equal(12L, new QUniformDistribution(4, 16, 4, Integral: true).Quantize(13.9));
        Assert.Equal(0.3, new QUniformDistribution(0, 1, 0.1, Integral: false).Quantize(0.29)); // not 0.30000000000000004
        Assert.Equal(new object[] { 0.2, 1.0 }, new QUniformDistribution(0.2, 1.0, 0.1, Integral: false).Extremes);
        Assert.Equal(new object[] { 2L, 4L }, new RandIntDistribution(2, 5).Extremes); // upper exclusive
    }
}
