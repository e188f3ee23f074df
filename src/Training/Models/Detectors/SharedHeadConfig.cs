namespace Cluster.Training.Models.Detectors;

/// <summary>
/// <c>model.roi_head.shared_head</c>: a module between the RoI extractor and the bbox head (MMAction2's FBOHead, which
/// adds long-term feature bank context); none by default.
/// </summary>
public abstract class SharedHeadConfig
{
    /// <param name="name">The module's name (its parameters' key prefix, e.g. <c>roi_head.shared_head</c>).</param>
    /// <param name="inChannels">Channels of the RoI features (the backbone's output channels).</param>
    public abstract RoiSharedHead Build(string name, int inChannels);
}
