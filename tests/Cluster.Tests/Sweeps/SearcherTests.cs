using Cluster.Training.Sweeps;

namespace Cluster.Tests.Sweeps;

public class SearcherTests
{
    private static readonly SearchDimension[] Mixed =
    [
        new("lr", new LogUniformDistribution(1e-4, 1e-1)),
        new("dropout", new UniformDistribution(0.1, 0.5)),
        new("depth", new RandIntDistribution(2, 5)),
        new("scale", new QUniformDistribution(0.2, 1.0, 0.1, Integral: false)),
        new("frames", new QUniformDistribution(4, 16, 4, Integral: true)),
        new("opt", new ChoiceDistribution(["SGD", "AdamW"])),
    ];

    [Fact]
    public void RandomSamplesStayInsideEachDistribution()
    {
        var searcher = new RandomSearcher(Mixed, 2000, seed: 7);
        var samples = Enumerable.Range(0, 2000).Select(i => searcher.Suggest(i, [])!).ToList();

        Assert.All(samples, s => Assert.InRange((double)s["lr"], 1e-4, 1e-1));
        Assert.All(samples, s => Assert.InRange((double)s["dropout"], 0.1, 0.5));
        // randint's upper bound is exclusive: 2, 3 and 4 all occur, 5 never.
        Assert.Equal([2L, 3L, 4L], samples.Select(s => (long)s["depth"]).Distinct().Order());
        // quniform: multiples of q, both ends included (rounding puts half a cell of mass on each end).
        Assert.Equal([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], samples.Select(s => (double)s["scale"]).Distinct().Order());
        Assert.Equal([4L, 8L, 12L, 16L], samples.Select(s => (long)s["frames"]).Distinct().Order());
        Assert.Equal(["AdamW", "SGD"], samples.Select(s => (string)s["opt"]).Distinct().Order());
    }

    [Fact]
    public void LogUniformIsUniformInLogSpace()
    {
        // Over [1e-4, 1e-1] each decade holds a third of the mass (a linear uniform would put 90% in the last one).
        var searcher = new RandomSearcher([new SearchDimension("lr", new LogUniformDistribution(1e-4, 1e-1))], 3000, seed: 1);
        var decades = Enumerable.Range(0, 3000)
            .Select(i => (int)Math.Floor(Math.Log10((double)searcher.Suggest(i, [])!["lr"]) + 4))
            .GroupBy(d => d).OrderBy(g => g.Key).Select(g => g.Count()).ToList();
        Assert.Equal(3, decades.Count);
        Assert.All(decades, count => Assert.InRange(count, 900, 1100)); // binomial sd ~26 around 1000
    }

    [Fact]
    public void RandomIsReproducibleFromSeedAndIndexAndIgnoresObservations()
    {
        var a = new RandomSearcher(Mixed, 10, seed: 3);
        var b = new RandomSearcher(Mixed, 10, seed: 3);
        var observed = new[] { new TrialObservation(0, a.Suggest(0, [])!, 0.9) };
        // Asked out of order and with observations, trial 5 is still trial 5.
        Assert.Equal(a.Suggest(5, []), b.Suggest(5, observed));
        Assert.NotEqual(a.Suggest(5, []), a.Suggest(6, []));
        Assert.NotEqual(a.Suggest(5, []), new RandomSearcher(Mixed, 10, seed: 4).Suggest(5, []));
    }

    [Fact]
    public void RandomIsExhaustedAfterNumSamples()
    {
        var searcher = new RandomSearcher(Mixed, 3, seed: 0);
        Assert.Equal(3, searcher.TotalTrials);
        Assert.NotNull(searcher.Suggest(2, []));
        Assert.Null(searcher.Suggest(3, []));
    }

    [Fact]
    public void GridEnumeratesTheCartesianProductNumSamplesTimes()
    {
        SearchDimension[] space =
        [
            new("batch", new GridDistribution([4L, 8L])),
            new("lr", new LogUniformDistribution(1e-3, 1e-1)),
            new("opt", new GridDistribution(["SGD", "Adam", "AdamW"])),
        ];
        var searcher = new GridSearcher(space, numSamples: 2, seed: 0);
        Assert.Equal(12, searcher.TotalTrials);
        var trials = Enumerable.Range(0, 12).Select(i => searcher.Suggest(i, [])!).ToList();
        Assert.Null(searcher.Suggest(12, []));

        // The last grid key varies fastest, the whole grid once per repeat.
        (long, string)[] pass = [(4, "SGD"), (4, "Adam"), (4, "AdamW"), (8, "SGD"), (8, "Adam"), (8, "AdamW")];
        Assert.Equal([.. pass, .. pass], trials.Select(t => ((long)t["batch"], (string)t["opt"])));
        // Non-grid keys are drawn per trial.
        Assert.All(trials, t => Assert.InRange((double)t["lr"], 1e-3, 1e-1));
        Assert.Equal(12, trials.Select(t => (double)t["lr"]).Distinct().Count());
        Assert.Equal(["batch", "lr", "opt"], trials[0].Keys);
    }

    [Fact]
    public void GridWithoutGridKeysIsNumSamplesRandomTrials()
    {
        var searcher = new GridSearcher([new SearchDimension("lr", new UniformDistribution(0, 1))], numSamples: 4, seed: 0);
        Assert.Equal(4, searcher.TotalTrials);
        Assert.Equal(4, Enumerable.Range(0, 4).Select(i => (double)searcher.Suggest(i, [])!["lr"]).Distinct().Count());
    }
}
