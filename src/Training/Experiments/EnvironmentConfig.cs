using OpenCvSharp;

namespace Cluster.Training.Experiments;

/// <summary>
/// MMEngine's <c>env_cfg</c>. What applies here is <c>mp_cfg.opencv_num_threads</c> (MMAction2 sets 0): the loader
/// already decodes on parallel worker threads, and OpenCV's own thread pool on top of them oversubscribes the cores.
/// cuDNN benchmarking, the start method and the distributed backend are MMEngine process settings kept for
/// compatibility.
/// </summary>
public sealed class EnvironmentConfig
{
    public bool CudnnBenchmark { get; init; }
    public MultiprocessingConfig MpCfg { get; init; } = new();
    public Dictionary<string, object?>? DistCfg { get; init; }

    public void Apply() => Cv2.SetNumThreads(MpCfg.OpencvNumThreads);
}

public sealed class MultiprocessingConfig
{
    public string MpStartMethod { get; init; } = "fork";
    public int OpencvNumThreads { get; init; }
}
