using Cluster.Training.Hooks;
using Cluster.Training.Models;
using Cluster.Training.Optim;
using Cluster.Training.Optim.Schedulers;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Engine;

/// <summary>Captures the run into a <see cref="TrainingState"/> for the checkpoint writer, and restores one on resume.</summary>
internal sealed class CheckpointRecorder(VideoModel model, OptimWrapper optimWrapper, ParamSchedulerSet schedulers,
    TrainingRunnerOptions options, Func<long> seed)
{
    /// <summary>
    /// The run's iterations per epoch, kept in the checkpoint's <c>meta</c>: a resume with another world size (another
    /// share of each epoch) needs it to tell an epoch's end from its middle.
    /// </summary>
    public const string ItersPerEpochKey = "iters_per_epoch";

    private ICheckpointWriter Writer => options.CheckpointWriter
        ?? throw new InvalidOperationException("saving or resuming checkpoints needs a CheckpointWriter");

    /// <summary>Saves the current state; a best checkpoint holds weights and meta only, as MMEngine's.</summary>
    public string Save(TrainingContext context, string path, bool best)
    {
        using var state = Capture(context, includeOptimizer: !best);
        Writer.Save(path, state);
        context.Emit(new CheckpointSaved(path, context.CompletedEpochs, context.CompletedIters, best, context.ItersPerEpoch));
        return path;
    }

    /// <summary>Restores model, optimizer, schedulers, counters, runtime info and the RNG; returns the run's seed.</summary>
    public long Resume(string path, TrainingContext context)
    {
        using var state = Writer.Load(path);
        model.load_state_dict(state.StateDict);
        OptimizerStateTree.LoadTree(optimWrapper.Optimizer,
            state.Optimizer ?? throw new ArgumentException($"{path}: no optimizer state to resume from"));
        schedulers.LoadTree(state.ParamSchedulers ?? throw new ArgumentException($"{path}: no param_schedulers to resume from"));
        context.CompletedEpochs = state.Epoch;
        int? savedItersPerEpoch = state.RuntimeInfo.Remove(ItersPerEpochKey, out var saved) && saved is long count ? (int)count : null;
        var (iteration, note) = ResumePosition.Recount(state.Epoch, state.Iter, savedItersPerEpoch, context.ItersPerEpoch);
        context.CompletedIters = iteration;
        if (note is not null)
        {
            schedulers.ReplayTo(state.Epoch, context.ItersPerEpoch);
            context.Emit(new TrainingMessage(note));
        }
        foreach (var (key, value) in state.RuntimeInfo)
        {
            context.RuntimeInfo[key] = value;
        }
        if (state.RngState is not null)
        {
            set_rng_state(state.RngState);
        }
        return state.Seed;
    }

    private TrainingState Capture(TrainingContext context, bool includeOptimizer) => new()
    {
        Epoch = context.CompletedEpochs,
        Iter = context.CompletedIters,
        Seed = seed(),
        Config = options.ConfigText,
        RuntimeInfo = new Dictionary<string, object?>(context.RuntimeInfo) { [ItersPerEpochKey] = (long)context.ItersPerEpoch },
        StateDict = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().to(CPU, copy: true)),
        Optimizer = includeOptimizer ? OptimizerStateTree.ToTree(optimWrapper.Optimizer) : null,
        ParamSchedulers = includeOptimizer ? schedulers.ToTree() : null,
        RngState = get_rng_state(),
    };
}
