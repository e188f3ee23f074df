using Cluster.Abstractions.Collectives;
using Cluster.Training.Distributed;

namespace Cluster.Grains.Collectives;

/// <summary>Which failures of a group's calls mean "the group is broken, re-form it" rather than "the run is wrong".</summary>
internal static class PeerFailure
{
    /// <summary>
    /// The peer's silo is gone or unreachable (Orleans' own exceptions), it did not answer in time, it already runs a
    /// newer generation, or it never started this one; also when the engine wrapped such a failure in its own.
    /// </summary>
    public static bool IsGroupFault(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is GroupFaultException or StaleGenerationException or CollectiveBufferFullException or TimeoutException or OrleansException)
                return true;
            if (e is ReplicaDivergedException) return false;
        }
        return false;
    }

    public static string Describe(Exception error)
    {
        while (error is AggregateException { InnerException: { } inner }) error = inner;
        return $"{error.GetType().Name}: {error.Message}";
    }
}
