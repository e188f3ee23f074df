using Cluster.Training.Lfb;

namespace Cluster.Tests.Lfb;

public class FeatureBankTests
{
    [Fact]
    public void MergeJoinsPartsAndSplitsOfOneVideo()
    {
        var early = new FeatureBank(2);
        early.Add("a", 900, [1, 2]);
        early.Add("b", 901, [3, 4, 5, 6]);
        var late = new FeatureBank(2);
        late.Add("a", 901, [7, 8]);

        var merged = FeatureBank.Merge([early, late]);
        Assert.Equal(["a", "b"], merged.Videos);
        Assert.Equal([(900, 1), (901, 1)], merged.SecondsOf("a"));
        Assert.Equal(2, merged.PersonsAt("b", 901));
        Assert.Equal([7f, 8f], merged.Get("a", 901).ToArray());
        Assert.Equal(3, merged.SecondCount);
        Assert.Equal(4, merged.PersonCount);
    }

    [Fact]
    public void MergeWithADuplicateNamesVideoAndSecond()
    {
        var one = new FeatureBank(2);
        one.Add("clip-7", 912, [1, 2]);
        var other = new FeatureBank(2);
        other.Add("clip-3", 912, [1, 2]);
        other.Add("clip-7", 912, [3, 4]);
        var error = Assert.Throws<ArgumentException>(() => FeatureBank.Merge([one, other]));
        Assert.Equal("video 'clip-7' second 912 is in two feature bank parts (0 and 1)", error.Message);
    }

    [Fact]
    public void MergeRejectsDifferentChannels()
    {
        var error = Assert.Throws<ArgumentException>(() => FeatureBank.Merge([new FeatureBank(2), new FeatureBank(3)]));
        Assert.Contains("part 1 has 3 channels", error.Message);
    }

    [Fact]
    public void AddRejectsRaggedRowsAndRepeats()
    {
        var bank = new FeatureBank(4);
        Assert.Throws<ArgumentException>(() => bank.Add("v", 1, [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => bank.Add("v", 1, []));
        bank.Add("v", 1, [1, 2, 3, 4]);
        Assert.Contains("already has features", Assert.Throws<ArgumentException>(() => bank.Add("v", 1, [1, 2, 3, 4])).Message);
        Assert.Equal(1, bank.SecondCount);
    }
}
