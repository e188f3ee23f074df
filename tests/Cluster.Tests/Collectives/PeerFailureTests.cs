using Cluster.Abstractions.Collectives;
using Cluster.Grains.Collectives;
using Cluster.Training.Distributed;

namespace Cluster.Tests.Collectives;

public class PeerFailureTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new CollectiveTimeoutException(1, TimeSpan.FromSeconds(3), "all-reduce"), true },
        { new InvalidOperationException("epoch 2 failed", new StaleGenerationException("stale")), true },
        { new AggregateException(new SiloUnavailableException("gone")), true },
        { new CollectiveBufferFullException("full"), true },
        { new ReplicaDivergedException(1, ["a", "b"]), false },
        { new InvalidOperationException("NaN loss"), false },
        { new ArgumentException("bad config"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void OnlyABrokenGroupIsRetryable(Exception error, bool retryable) => Assert.Equal(retryable, PeerFailure.IsGroupFault(error));
}
