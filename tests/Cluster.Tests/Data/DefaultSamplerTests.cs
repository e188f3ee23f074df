using System.Text.Json;
using Cluster.Training.Data.Loading;

namespace Cluster.Tests.Data;

public class DefaultSamplerTests
{
    private sealed record PermutationCase(int N, int Seed, int[] Permutation);

    private sealed record PermutationFixture(string Torch, PermutationCase[] Cases);

    /// <summary>Written by tests/fixtures-scripts/data_randperm.py with PyTorch's own randperm.</summary>
    private static PermutationFixture Fixture() => JsonSerializer.Deserialize<PermutationFixture>(
        File.ReadAllText(Path.Combine("Fixtures", "Data", "randperm.json")),
        new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    [Fact]
    public void Shuffles_exactly_like_pytorch_randperm_seeded_with_seed_plus_epoch()
    {
        foreach (var testCase in Fixture().Cases)
        {
            var sampler = new DefaultSampler(testCase.N, shuffle: true, seed: testCase.Seed, roundUp: true, DataShard.Whole);
            Assert.Equal(testCase.Permutation, sampler.EpochIndices(0));
        }
        // Epoch 1 of seed 42 is the generator seeded with 43.
        var seed43 = Fixture().Cases.Single(c => c is { N: 10, Seed: 43 });
        Assert.Equal(seed43.Permutation, new DefaultSampler(10, true, 42, true, DataShard.Whole).EpochIndices(1));
    }

    [Fact]
    public void Shards_pad_by_repetition_and_stride_by_world_size()
    {
        // 10 samples, 3 shards: total 12 = [0..9, 0, 1]; rank 1 reads 1, 4, 7, 0.
        var padded = new DefaultSampler(10, shuffle: false, seed: 0, roundUp: true, new DataShard(3, 1));
        Assert.Equal(4, padded.Count);
        Assert.Equal([1, 4, 7, 0], padded.EpochIndices(0));
        // Without round_up: indices[1:10:3].
        var exact = new DefaultSampler(10, shuffle: false, seed: 0, roundUp: false, new DataShard(3, 1));
        Assert.Equal([1, 4, 7], exact.EpochIndices(0));
    }

    [Fact]
    public void Shards_of_a_shuffled_epoch_partition_it()
    {
        var all = new DefaultSampler(12, true, 9, true, DataShard.Whole).EpochIndices(3);
        var parts = Enumerable.Range(0, 4)
            .Select(rank => new DefaultSampler(12, true, 9, true, new DataShard(4, rank)).EpochIndices(3))
            .ToArray();
        Assert.Equal(all.Order(), parts.SelectMany(part => part).Order());
        Assert.Equal(all[2], parts[2][0]);
    }

    [Fact]
    public void Explicit_indices_restrict_the_sampler()
    {
        var sampler = new DefaultSampler(10, shuffle: true, seed: 1, roundUp: true, new DataShard(Indices: [5, 6, 7]));
        Assert.Equal([5, 6, 7], sampler.EpochIndices(0).Order());
    }

    [Fact]
    public void Rejects_rank_outside_world_and_indices_outside_dataset()
    {
        Assert.Contains("rank 2", Assert.Throws<ArgumentException>(() =>
            new DefaultSampler(10, false, 0, true, new DataShard(2, 2))).Message);
        Assert.Contains("10", Assert.Throws<ArgumentException>(() =>
            new DefaultSampler(10, false, 0, true, new DataShard(Indices: [10]))).Message);
    }
}
