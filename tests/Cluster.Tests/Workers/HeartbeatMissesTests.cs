using Cluster.Grains.Workers;

namespace Cluster.Tests.Workers;

/// <summary>
/// When a supervising grain declares a worker lost: definite problems (a wrong answer, a silo gone) after the given
/// number of beats in a row; failures on a silo that is still a member only once they have lasted the grace period
/// (the seconds after another silo's death, when calls fail until membership catches up, must not restart a run).
/// </summary>
public sealed class HeartbeatMissesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly WorkerProbe Idle = new("it is idle", Unreachable: false);
    private static readonly WorkerProbe Gone = new("SiloUnavailableException: its silo is not an active member", Unreachable: false);
    private static readonly WorkerProbe Refused = new("OrleansMessageRejectionException: connection failure", Unreachable: true);

    private static List<(string, WorkerProbe)> Beats(params WorkerProbe[] probes) =>
        probes.Select((p, i) => ($"w{i}", p)).ToList();

    [Fact]
    public void Definite_misses_in_a_row_lose_the_worker_at_the_limit()
    {
        var heartbeat = new HeartbeatMisses(missesBeforeLost: 2, unreachableBeforeLost: TimeSpan.FromSeconds(30));

        Assert.Null(heartbeat.Beat(Beats(WorkerProbe.Fine, Idle), T0));
        var lost = heartbeat.Beat(Beats(WorkerProbe.Fine, Gone), T0.AddSeconds(2));

        Assert.Equal("worker w1 lost (SiloUnavailableException: its silo is not an active member)", lost);
    }

    [Fact]
    public void An_answer_in_between_starts_the_count_again()
    {
        var heartbeat = new HeartbeatMisses(missesBeforeLost: 2, unreachableBeforeLost: TimeSpan.FromSeconds(30));

        Assert.Null(heartbeat.Beat(Beats(Idle), T0));
        Assert.Null(heartbeat.Beat(Beats(WorkerProbe.Fine), T0.AddSeconds(2)));
        Assert.Null(heartbeat.Beat(Beats(Idle), T0.AddSeconds(4)));
        Assert.NotNull(heartbeat.Beat(Beats(Idle), T0.AddSeconds(6)));
    }

    [Fact]
    public void Failures_on_a_live_silo_are_tolerated_until_the_grace_period_has_passed()
    {
        var heartbeat = new HeartbeatMisses(missesBeforeLost: 2, unreachableBeforeLost: TimeSpan.FromSeconds(30));

        for (int second = 0; second < 30; second += 2)
            Assert.Null(heartbeat.Beat(Beats(WorkerProbe.Fine, Refused), T0.AddSeconds(second)));
        var lost = heartbeat.Beat(Beats(WorkerProbe.Fine, Refused), T0.AddSeconds(30));

        Assert.Equal("worker w1 lost (unreachable for 30 s on a live silo: OrleansMessageRejectionException: connection failure)", lost);
    }

    [Fact]
    public void A_reachable_beat_ends_the_unreachable_period()
    {
        var heartbeat = new HeartbeatMisses(missesBeforeLost: 2, unreachableBeforeLost: TimeSpan.FromSeconds(10));

        Assert.Null(heartbeat.Beat(Beats(Refused), T0));
        Assert.Null(heartbeat.Beat(Beats(WorkerProbe.Fine), T0.AddSeconds(8)));
        Assert.Null(heartbeat.Beat(Beats(Refused), T0.AddSeconds(12)));
        Assert.Null(heartbeat.Beat(Beats(Refused), T0.AddSeconds(20)));
        Assert.NotNull(heartbeat.Beat(Beats(Refused), T0.AddSeconds(22)));
    }

    [Fact]
    public void Once_membership_declares_the_silo_dead_its_misses_count_at_once()
    {
        var heartbeat = new HeartbeatMisses(missesBeforeLost: 2, unreachableBeforeLost: TimeSpan.FromSeconds(30));

        Assert.Null(heartbeat.Beat(Beats(Refused), T0));
        Assert.Null(heartbeat.Beat(Beats(Refused), T0.AddSeconds(2)));
        Assert.Null(heartbeat.Beat(Beats(Gone), T0.AddSeconds(4)));
        Assert.NotNull(heartbeat.Beat(Beats(Gone), T0.AddSeconds(6)));
    }

    [Fact]
    public void Reset_forgets_earlier_misses()
    {
        var heartbeat = new HeartbeatMisses(missesBeforeLost: 2, unreachableBeforeLost: TimeSpan.FromSeconds(10));
        Assert.Null(heartbeat.Beat(Beats(Idle, Refused), T0));

        heartbeat.Reset();

        Assert.Null(heartbeat.Beat(Beats(Idle, Refused), T0.AddSeconds(9)));
        Assert.Null(heartbeat.Beat(Beats(WorkerProbe.Fine, Refused), T0.AddSeconds(18)));
    }
}
