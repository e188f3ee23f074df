namespace Cluster.Training.Lfb;

/// <summary>What <c>cluster lfb info</c> shows about a bank file: its header and index, without the data.</summary>
/// <param name="Seconds">(video, second) entries, summed over videos.</param>
/// <param name="Persons">Feature rows, summed over entries.</param>
/// <param name="Bytes">Size of the whole file.</param>
public sealed record FeatureBankInfo(int Videos, int Seconds, long Persons, int Channels, FeatureBankDtype Dtype, long Bytes)
{
    public override string ToString() =>
        $"videos {Videos}, seconds {Seconds}, persons {Persons}, channels {Channels}, dtype {Dtype.Name()}, bytes {Bytes}";
}
