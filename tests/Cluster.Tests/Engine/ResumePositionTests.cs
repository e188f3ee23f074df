using Cluster.Training.Engine;
using Cluster.Training.Optim.Schedulers;

namespace Cluster.Tests.Engine;

/// <summary>Where a resume continues when its iterations per epoch differ from the checkpoint's (another world size).</summary>
public class ResumePositionTests
{
    [Theory]
    [InlineData(2, 12L, 6, 6, 12L)]   // same length: as saved
    [InlineData(2, 14L, 6, 6, 14L)]   // same length, mid-epoch: as saved
    [InlineData(2, 12L, null, 6, 12L)] // unknown length that fits: as saved
    [InlineData(2, 13L, null, 6, 13L)]
    public void An_unchanged_epoch_length_resumes_where_the_checkpoint_is(int epoch, long iteration, int? saved, int now, long expected)
    {
        var (at, note) = ResumePosition.Recount(epoch, iteration, saved, now);
        Assert.Equal(expected, at);
        Assert.Null(note);
    }

    [Fact]
    public void At_an_epoch_end_the_next_epoch_starts_cleanly_in_the_new_iterations()
    {
        // 2 epochs of 6 iterations (one worker) resumed by two workers reading 3 per epoch.
        var (at, note) = ResumePosition.Recount(2, 12, 6, 3);
        Assert.Equal(6, at);
        Assert.Equal("resume: iterations per epoch changed from 6 to 3 (another world size): epoch 3 starts cleanly; iteration 12 is recounted as 6", note);

        Assert.Equal(12, ResumePosition.Recount(2, 6, 3, 6).Iteration);
    }

    [Fact]
    public void In_the_middle_of_an_epoch_of_another_length_the_epoch_restarts()
    {
        var (at, note) = ResumePosition.Recount(1, 8, 6, 3);
        Assert.Equal(3, at);
        Assert.Equal("resume: the checkpoint is 2 of 6 iterations into epoch 2, which now has 3 iterations (another world size): " +
                     "epoch 2 restarts from its first batch at iteration 3", note);
    }

    [Fact]
    public void An_unknown_length_that_does_not_fit_restarts_the_epoch()
    {
        var (at, note) = ResumePosition.Recount(2, 12, null, 3);
        Assert.Equal(6, at);
        Assert.StartsWith("resume: iteration 12 does not fit epoch 3 of 3 iterations", note);
    }

    [Fact]
    public void Replaying_the_schedulers_gives_the_lr_of_an_uninterrupted_run_with_the_new_epoch_length()
    {
        ParamSchedulerConfig[] configs =
        [
            new LinearLRConfig { StartFactor = 0.25, End = 5, ByEpoch = false },
            new MultiStepLRConfig { Milestones = [2], Gamma = 0.1 },
        ];
        // Uninterrupted with 3 iterations per epoch: the lr at the start of epoch 3.
        var expected = Optim.ScheduleRecorder.LrPerIteration(0.1, 4, 3, configs)[6];

        using var parameter = new TorchSharp.Modules.Parameter(TorchSharp.torch.zeros(1));
        using var optimizer = TorchSharp.torch.optim.SGD([parameter], 0.1);
        var groups = optimizer.ParamGroups.ToList<TorchSharp.torch.optim.ILearningRateController>();
        var set = ParamSchedulerFactory.Create(configs, groups, 4, 6);
        for (int i = 0; i < 8; i++) set.AfterTrainIteration(); // 6 per epoch: somewhere in epoch 2
        set.AfterTrainEpoch();

        set.ReplayTo(2, 3);
        Assert.Equal(expected, groups[0].LearningRate, 12);
        Assert.Equal(0.01, expected, 12);
        Assert.Equal((4, 2), (set.Schedulers[0].LastStep, set.Schedulers[1].LastStep)); // warm-up over; 2 epochs stepped
    }
}
