using Cluster.Abstractions.Registry;
using Cluster.Abstractions.Workers;
using Cluster.Silo.Devices;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Cluster.Silo.Registration;

/// <summary>
/// Once the silo is active, announces it and its compute slots to the registry grain, and again every
/// <see cref="ClusterSiloOptions.RegistrationInterval"/> (the registry may have moved to another silo and lost its
/// in-memory view, or missed the first call). Failures are logged and retried on the next tick.
/// </summary>
internal sealed class SiloRegistrar(
    ClusterSiloOptions options,
    IReadOnlyList<DeviceSlot> slots,
    ILocalSiloDetails silo,
    IGrainFactory grains,
    ILogger<SiloRegistrar> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private bool _failing;

    public SiloRegistration Registration { get; } = Describe(options, slots, silo);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloRegistrar), ServiceLifecycleStage.Active, OnActive, OnStopping);

    internal static SiloRegistration Describe(ClusterSiloOptions options, IReadOnlyList<DeviceSlot> slots, ILocalSiloDetails silo)
    {
        var address = silo.SiloAddress.ToParsableString();
        var slotInfos = slots
            .Select(s => new SlotInfo(WorkerKey.For(address, s.Device), address, silo.Name, s.Device, s.Kind, s.Name, s.MemoryBytes))
            .ToList();
        return new SiloRegistration(silo.Name, address, silo.DnsHostName, slotInfos);
    }

    private Task OnActive(CancellationToken cancellation)
    {
        _loop = Task.Run(() => LoopAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    private async Task OnStopping(CancellationToken cancellation)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.RegistrationInterval);
        do
        {
            try
            {
                await grains.GetGrain<IClusterRegistryGrain>(0).RegisterSilo(Registration).WaitAsync(stopping);
                if (_failing)
                    logger.LogWarning("silo {Silo} registered with the cluster registry again", Registration.Name);
                _failing = false;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // One warning per outage, not one per tick.
                logger.Log(_failing ? LogLevel.Debug : LogLevel.Warning,
                    "registering silo {Silo} with the cluster registry failed (retrying every {Interval}): {Message}",
                    Registration.Name, options.RegistrationInterval, e.Message);
                _failing = true;
            }
        }
        while (await WaitAsync(timer, stopping));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
