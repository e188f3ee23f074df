using Cluster.Abstractions.Collectives;
using Cluster.Training.Distributed;

namespace Cluster.Grains.Collectives;

/// <summary>Which failures of a group's calls mean "the group is broken, re-form it" rather than "the run is wrong".</summary>
internal static class PeerFailure
{
    /// <summary>
    /// The peer's silo is gone or unreachable (Orleans' own exceptions), it did not answer in time, it already runs a
    /// newer generation, or it never started this one.
    /// </summary>
    public static bool IsGroupFault(Exception error) =>
        Unwrap(error) is GroupFaultException or StaleGenerationException or CollectiveBufferFullException
            or TimeoutException or OrleansException;

    public static string Describe(Exception error) => $"{Unwrap(error).GetType().Name}: {Unwrap(error).Message}";

    private static Exception Unwrap(Exception error)
    {
        while (error is AggregateException { InnerException: { } inner }) error = inner;
        return error;
    }
}
