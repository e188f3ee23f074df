using Cluster.Training.Sweeps;

namespace Cluster.Tests.Sweeps;

public class TpeSearcherTests
{
    private static readonly TpeSettings Settings = new(NStartupTrials: 10, NEiCandidates: 24, Gamma: 0.25);

    /// <summary>Runs a sequential sweep of <paramref name="trials"/> (each trial observed before the next is suggested)
    /// and returns the suggestions in order.</summary>
    private static List<IReadOnlyDictionary<string, object>> Run(ISearcher searcher, int trials, Func<IReadOnlyDictionary<string, object>, double> objective)
    {
        var observations = new List<TrialObservation>();
        var suggestions = new List<IReadOnlyDictionary<string, object>>();
        for (var i = 0; i < trials; i++)
        {
            var parameters = searcher.Suggest(i, observations)!;
            suggestions.Add(parameters);
            observations.Add(new TrialObservation(i, parameters, objective(parameters)));
        }
        return suggestions;
    }

    [Fact]
    public void ConcentratesNearTheOptimumOfALogScaleObjective()
    {
        // Maximize -(log10 lr + 2)^2 over lr in [1e-5, 1]: the best lr is 1e-2. Random search spreads uniformly over
        // five decades (mean distance from the optimum ~1.3 decades); after its 10 random trials TPE should draw most
        // of its suggestions near 1e-2. Distance = |log10 lr + 2|.
        SearchDimension[] space = [new("lr", new LogUniformDistribution(1e-5, 1))];
        static double Distance(IReadOnlyDictionary<string, object> p) => Math.Abs(Math.Log10((double)p["lr"]) + 2);

        var tpe = Run(new TpeSearcher(space, 60, seed: 11, MetricMode.Max, Settings), 60, p => -Math.Pow(Distance(p), 2));
        var random = Run(new RandomSearcher(space, 60, seed: 11), 60, p => -Math.Pow(Distance(p), 2));

        var tpeLate = tpe.Skip(30).Average(Distance);
        var randomLate = random.Skip(30).Average(Distance);
        // Over seeds 0-19 TPE's late mean distance was 0.15-0.22 decades, random's 0.97-1.62.
        Assert.True(tpeLate < 0.3 * randomLate, $"TPE mean distance {tpeLate:F3} decades vs random {randomLate:F3}");
        Assert.True(tpeLate < 0.3, $"TPE mean distance {tpeLate:F3} decades");
        Assert.All(tpe, p => Assert.InRange((double)p["lr"], 1e-5, 1));
    }

    [Fact]
    public void MinimizesATwoDimensionalObjectiveBetterThanRandom()
    {
        // Minimize (x - 1)^2 + (y + 2)^2 on [-5, 5]^2; y is an integer (randint, upper exclusive) to exercise the
        // discrete estimator. The optimum is (1, -2).
        SearchDimension[] space = [new("x", new UniformDistribution(-5, 5)), new("y", new RandIntDistribution(-5, 6))];
        static double Loss(IReadOnlyDictionary<string, object> p) => Math.Pow((double)p["x"] - 1, 2) + Math.Pow((long)p["y"] + 2, 2);

        var tpe = Run(new TpeSearcher(space, 60, seed: 5, MetricMode.Min, Settings), 60, Loss);
        var random = Run(new RandomSearcher(space, 60, seed: 5), 60, Loss);

        var tpeLate = tpe.Skip(30).Average(Loss);
        var randomLate = random.Skip(30).Average(Loss);
        // Over seeds 0-19 TPE's late mean loss was 0.3-1.8, random's 19-29.
        Assert.True(tpeLate < 0.2 * randomLate, $"TPE mean loss {tpeLate:F2} vs random {randomLate:F2}");
        Assert.All(tpe, p => Assert.InRange((long)p["y"], -5, 5));
    }

    [Fact]
    public void PrefersTheBestCategory()
    {
        // Four optimizers, AdamW scores best: after the random start TPE should pick it far more often than 1 in 4.
        SearchDimension[] space = [new("opt", new ChoiceDistribution(["SGD", "Adam", "AdamW", "RMSprop"]))];
        var score = new Dictionary<string, double> { ["SGD"] = 0.5, ["Adam"] = 0.6, ["AdamW"] = 0.8, ["RMSprop"] = 0.4 };

        var tpe = Run(new TpeSearcher(space, 50, seed: 2, MetricMode.Max, Settings), 50, p => score[(string)p["opt"]]);
        var share = tpe.Skip(20).Count(p => (string)p["opt"] == "AdamW") / 30.0;
        Assert.True(share > 0.8, $"AdamW share after the start: {share:P0}"); // 93-100% over seeds 0-19
    }

    [Fact]
    public void StartsWithTheRandomSearchersTrials()
    {
        SearchDimension[] space = [new("lr", new LogUniformDistribution(1e-4, 1e-1)), new("q", new QUniformDistribution(0, 1, 0.25, false))];
        var tpe = new TpeSearcher(space, 20, seed: 9, MetricMode.Max, Settings);
        var random = new RandomSearcher(space, 20, seed: 9);
        var nine = Enumerable.Range(0, 9).Select(i => new TrialObservation(i, random.Suggest(i, [])!, i)).ToList();
        // Fewer observations than n_startup_trials: exactly the random searcher's trial.
        Assert.Equal(random.Suggest(12, []), tpe.Suggest(12, nine));
        // From n_startup_trials observations on, the model decides.
        var ten = nine.Append(new TrialObservation(9, random.Suggest(9, [])!, 9)).ToList();
        Assert.NotEqual(random.Suggest(12, []), tpe.Suggest(12, ten));
    }

    [Fact]
    public void SuggestionsDependOnTheObservationsNotOnTheirOrder()
    {
        SearchDimension[] space = [new("lr", new LogUniformDistribution(1e-4, 1e-1)), new("q", new QUniformDistribution(0, 1, 0.25, false))];
        var random = new RandomSearcher(space, 20, seed: 1);
        var observations = Enumerable.Range(0, 12).Select(i => new TrialObservation(i, random.Suggest(i, [])!, Math.Sin(i))).ToList();

        var a = new TpeSearcher(space, 20, seed: 1, MetricMode.Max, Settings).Suggest(15, observations)!;
        var b = new TpeSearcher(space, 20, seed: 1, MetricMode.Max, Settings).Suggest(15, observations.AsEnumerable().Reverse().ToList())!;
        Assert.Equal(a, b);
        Assert.Contains((double)a["q"], new[] { 0.0, 0.25, 0.5, 0.75, 1.0 });
        Assert.Null(new TpeSearcher(space, 20, seed: 1, MetricMode.Max, Settings).Suggest(20, observations));
    }
}
