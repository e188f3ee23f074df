using Cluster.Training.Data.Ava;
using Cluster.Training.Lfb;
using static TorchSharp.torch;

namespace Cluster.Tests.Lfb;

public class LfbWindowSamplerTests
{
    private const int Channels = 3;

    /// <summary>Video "v": second 10 one person, 11 three, 12 seven, 14 two (13 none).</summary>
    private static FeatureBank Bank()
    {
        var bank = new FeatureBank(Channels);
        foreach (var (second, persons) in new[] { (10, 1), (11, 3), (12, 7), (14, 2) })
        {
            var rows = new float[persons * Channels];
            for (int p = 0; p < persons; p++)
                for (int c = 0; c < Channels; c++)
                    rows[p * Channels + c] = Row(second, p, c);
            bank.Add("v", second, rows);
        }
        bank.Add("other", 12, [9, 9, 9]);
        return bank;
    }

    private static float Row(int second, int person, int channel) => second * 100 + person * 10 + channel + 1;

    /// <summary>Which person of <paramref name="second"/> a sampled slot holds; -1 for a zero slot.</summary>
    private static int PersonIn(float[] slot, int second)
    {
        if (slot.All(v => v == 0)) return -1;
        int person = (int)((slot[0] - 1 - second * 100) / 10);
        Assert.Equal(Enumerable.Range(0, Channels).Select(c => Row(second, person, c)), slot);
        return person;
    }

    private static float[] Slot(Tensor sampled, int roi, int slot) =>
        sampled[roi, TensorIndex.Colon, slot].data<float>().ToArray();

    [Fact]
    public void WindowCoversHalfBeforeAndPadsMissingSecondsAndPersons()
    {
        var sampler = new LfbWindowSampler(windowSize: 6, maxPersonsPerSecond: 2);
        using var generator = new Generator(3);
        using var sampled = sampler.Sample(Bank(), [new AvaKey("v", 12), new AvaKey("other", 12)], generator);
        Assert.Equal([2L, Channels, 12], sampled.shape);

        // Seconds 9…14 → slots (w·2, w·2+1).
        int[] seconds = [9, 10, 11, 12, 13, 14];
        int[] expectedFilled = [0, 1, 2, 2, 0, 2];
        for (int w = 0; w < 6; w++)
        {
            var picks = new[] { PersonIn(Slot(sampled, 0, 2 * w), seconds[w]), PersonIn(Slot(sampled, 0, 2 * w + 1), seconds[w]) };
            Assert.Equal(expectedFilled[w], picks.Count(p => p >= 0));
            if (expectedFilled[w] == 1) Assert.Equal([0, -1], picks); // filled slots come first
            if (expectedFilled[w] == 2) Assert.NotEqual(picks[0], picks[1]);
        }
        // The other video only has second 12 (w = 3): slot 6 filled, everything else zero.
        Assert.Equal(9f * Channels, sampled[1].sum().item<float>());
        Assert.Equal([9f, 9f, 9f], Slot(sampled, 1, 6));
    }

    [Fact]
    public void OddWindowStartsAtTMinusHalfRoundedDown()
    {
        var sampler = new LfbWindowSampler(windowSize: 3, maxPersonsPerSecond: 1);
        using var sampled = sampler.Sample(Bank(), [new AvaKey("v", 11)]);
        // Seconds 10, 11, 12: all present.
        Assert.Equal(0, PersonIn(Slot(sampled, 0, 0), 10));
        Assert.InRange(PersonIn(Slot(sampled, 0, 1), 11), 0, 2);
        Assert.InRange(PersonIn(Slot(sampled, 0, 2), 12), 0, 6);
    }

    [Fact]
    public void SubsetIsTorchRandpermPrefixPerPresentSecond()
    {
        var sampler = new LfbWindowSampler(windowSize: 6, maxPersonsPerSecond: 2);
        using var generator = new Generator(11);
        using var sampled = sampler.Sample(Bank(), [new AvaKey("v", 12)], generator);

        using var reference = new Generator(11);
        foreach (var (w, second, persons) in new[] { (1, 10, 1), (2, 11, 3), (3, 12, 7), (5, 14, 2) })
        {
            var order = randperm(persons, generator: reference).data<long>().ToArray();
            for (int j = 0; j < Math.Min(2, persons); j++)
                Assert.Equal((int)order[j], PersonIn(Slot(sampled, 0, 2 * w + j), second));
        }
    }

    [Fact]
    public void SameSeedSameSubsetsAndEveryPersonCanBePicked()
    {
        var sampler = new LfbWindowSampler(windowSize: 1, maxPersonsPerSecond: 2);
        var bank = Bank();
        using var first = new Generator(5);
        using var second = new Generator(5);
        var seen = new HashSet<int>();
        for (int i = 0; i < 40; i++)
        {
            using var a = sampler.Sample(bank, [new AvaKey("v", 12)], first);
            using var b = sampler.Sample(bank, [new AvaKey("v", 12)], second);
            Assert.True(a.equal(b).all().item<bool>());
            seen.Add(PersonIn(Slot(a, 0, 0), 12));
            seen.Add(PersonIn(Slot(a, 0, 1), 12));
        }
        Assert.Equal(Enumerable.Range(0, 7), seen.Order());
    }

    [Fact]
    public void UnknownVideoIsNamed()
    {
        var error = Assert.Throws<KeyNotFoundException>(() =>
            new LfbWindowSampler(4, 2).Sample(Bank(), [new AvaKey("v", 12), new AvaKey("missing-7", 905)]));
        Assert.Contains("'missing-7'", error.Message);
    }
}
