using Cluster.Abstractions.Workers;
using Cluster.Grains.Workers;

namespace Cluster.Tests.Workers;

public sealed class ReportSenderTests
{
    [Fact]
    public async Task FailedDeliveriesAreRetriedInOrderAndExactlyOnce()
    {
        var delivered = new List<WorkerEvent>();
        int calls = 0;
        var sender = new ReportSender(batch =>
        {
            if (++calls <= 2) throw new TimeoutException("experiment unreachable");
            delivered.AddRange(batch);
            return Task.CompletedTask;
        });
        var posted = Enumerable.Range(0, 5).Select(i => (WorkerEvent)new LogReported(DateTimeOffset.UnixEpoch, $"line {i}")).ToList();

        posted.ForEach(sender.Post);
        sender.Complete();
        await sender.Completion;

        Assert.Equal(posted, delivered);
        Assert.Equal(2, sender.Retries);
    }

    [Fact]
    public async Task AbandonEndsAnUndeliverableQueue()
    {
        var sender = new ReportSender(_ => throw new TimeoutException("experiment unreachable"));
        sender.Post(new RunFailed("x"));
        sender.Complete();

        sender.Abandon();
        await sender.Completion;

        Assert.True(sender.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_send_failing_after_Abandon_drops_the_batch_instead_of_faulting()
    {
        ReportSender? sender = null;
        sender = new ReportSender(_ =>
        {
            sender!.Abandon();
            throw new TimeoutException("experiment unreachable");
        });
        sender.Post(new RunFailed("x"));
        sender.Complete();

        await sender.Completion;

        Assert.True(sender.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, sender.Retries);
    }
}
