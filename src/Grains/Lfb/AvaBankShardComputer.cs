using Cluster.Abstractions.Lfb;
using Cluster.Grains.Workers;
using Cluster.Training.BankJobs;
using Cluster.Training.Configs;
using Cluster.Training.Lfb;

namespace Cluster.Grains.Lfb;

/// <summary>
/// The silo's <see cref="IBankShardComputer"/>: loads the request's merged config, computes the shard's videos with
/// <see cref="BankShardJob"/> (a <c>load_from</c> blob URI is fetched through the silo's artifact store) and saves the
/// part in the request's dtype.
/// </summary>
public sealed class AvaBankShardComputer(IServiceProvider services) : IBankShardComputer
{
    public BankShardResult Compute(BankShardWork work, string device, string outputPath, Action<long, int> progress,
        CancellationToken cancellation)
    {
        var document = ConfigLoader.LoadMerged(work.ConfigYaml, work.ConfigName);
        var input = BankInput.From(document, work.Split);
        var bank = BankShardJob.Prepare(input, work.Videos, device, SiloArtifacts.Locator(services)).Run(progress, cancellation);
        FeatureBankFile.Save(bank, outputPath, FeatureBankDtypes.Parse(work.Dtype));
        return new BankShardResult(bank.PersonCount, bank.VideoCount);
    }
}
