using Cluster.Training.Engine;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// Checks the NCCL binding on a GPU machine: one rank per GPU, each on its own thread, calls every collective on
/// device memory from the CUDA driver (so it runs with the CPU TorchSharp build too) and compares the results with
/// what they must be; where TorchSharp has CUDA it also runs <see cref="NcclProcessGroup"/> on CUDA tensors.
/// Run by bench/device/nccl-check.sh. Prints one line per check; true when all passed.
/// </summary>
public static class NcclSelfCheck
{
    private const int Elements = 1 << 20;

    public static bool Run(int ranks, TextWriter log)
    {
        if (!NcclLibrary.IsAvailable)
        {
            log.WriteLine($"FAIL {NcclLibrary.UnavailableReason}");
            return false;
        }
        var version = NcclLibrary.Version;
        log.WriteLine($"NCCL {version} (ncclAvg {(version.SupportsAvg ? "yes" : "no")}), {ranks} rank(s), one GPU each");
        var id = NcclLibrary.CreateUniqueId();
        bool ok = Report(log, "unique id survives bytes", NcclUniqueId.FromBytes(id.ToBytes()).Equals(id));

        var results = new List<string>[ranks];
        RunRanks(ranks, rank => results[rank] = RawCollectives(rank, ranks, id.ToBytes(), version));
        for (int r = 0; r < ranks; r++)
            foreach (var line in results[r]) ok &= Report(log, $"rank {r}: {line}", !line.Contains("WRONG"));

        if (!cuda.is_available())
        {
            log.WriteLine("SKIP tensor path: this TorchSharp build has no CUDA (build with -p:TorchBackend=cuda to check it)");
            return ok;
        }
        var tensorId = NcclProcessGroup.CreateUniqueId();
        RunRanks(ranks, rank => results[rank] = TensorCollectives(rank, ranks, tensorId));
        for (int r = 0; r < ranks; r++)
            foreach (var line in results[r]) ok &= Report(log, $"rank {r}: {line}", !line.Contains("WRONG"));
        return ok;
    }

    private static List<string> RawCollectives(int rank, int ranks, byte[] id, NcclVersion version)
    {
        var driver = CudaDriver.Instance;
        driver.MakeCurrent(rank);
        var lines = new List<string>();
        using var communicator = NcclCommunicator.InitRank(rank, ranks, NcclUniqueId.FromBytes(id));
        using var watchdog = new NcclWatchdog(communicator, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        ulong buffer = driver.Allocate(Elements * sizeof(float));
        ulong gathered = driver.Allocate(ranks * sizeof(long));
        try
        {
            var data = Enumerable.Range(0, Elements).Select(i => (float)((rank + 1) * (i % 97))).ToArray();
            float rankSum = ranks * (ranks + 1) / 2f;

            Upload(driver, buffer, data);
            watchdog.Run("sum", () => Grouped(() => communicator.AllReduce((IntPtr)buffer, (IntPtr)buffer, Elements, NcclDataType.Float32, NcclRedOp.Sum, IntPtr.Zero)), driver.DefaultStreamIdle);
            lines.Add(Verdict("ncclAllReduce sum", Download<float>(driver, buffer, Elements), i => rankSum * (i % 97)));

            if (version.SupportsAvg)
            {
                Upload(driver, buffer, data);
                watchdog.Run("avg", () => communicator.AllReduce((IntPtr)buffer, (IntPtr)buffer, Elements, NcclDataType.Float32, NcclRedOp.Avg, IntPtr.Zero), driver.DefaultStreamIdle);
                lines.Add(Verdict("ncclAllReduce avg", Download<float>(driver, buffer, Elements), i => rankSum / ranks * (i % 97)));
            }

            Upload(driver, buffer, new[] { rank * 10L + 1 });
            watchdog.Run("all-gather", () => communicator.AllGather((IntPtr)buffer, (IntPtr)gathered, 1, NcclDataType.Int64, IntPtr.Zero), driver.DefaultStreamIdle);
            lines.Add(Verdict("ncclAllGather", Download<long>(driver, gathered, ranks), r => r * 10L + 1));

            Upload(driver, buffer, Enumerable.Repeat(rank == 0 ? 7f : 0f, Elements).ToArray());
            watchdog.Run("broadcast", () => communicator.Broadcast((IntPtr)buffer, (IntPtr)buffer, Elements, NcclDataType.Float32, 0, IntPtr.Zero), driver.DefaultStreamIdle);
            lines.Add(Verdict("ncclBroadcast", Download<float>(driver, buffer, Elements), _ => 7f));

            lines.Add(communicator.AsyncError() == NcclResult.Success ? "ncclCommGetAsyncError: ncclSuccess" : "ncclCommGetAsyncError: WRONG");
        }
        finally
        {
            driver.Free(buffer);
            driver.Free(gathered);
        }
        return lines;
    }

    private static List<string> TensorCollectives(int rank, int ranks, byte[] id)
    {
        var device = new Device(DeviceType.CUDA, rank);
        using var group = NcclProcessGroup.Create(rank, ranks, id, device, NcclOptions.Default with { BucketBytes = 1 << 20 });
        var lines = new List<string> { group.Describe };
        using var held = new HeldScalars();
        var tensors = new[] { full(300_000, held.Of(rank + 1f), device: device), full(5, held.Of(10f * (rank + 1)), device: device) };
        group.AllReduceMean(tensors);
        float meanOfRanks = (ranks + 1) / 2f;
        lines.Add(Verdict("AllReduceMean", tensors[0].cpu().data<float>().ToArray(), _ => meanOfRanks));
        group.AllReduceSum([tensors[1]]);
        lines.Add(Verdict("AllReduceSum", tensors[1].cpu().data<float>().ToArray(), _ => ranks * 10f * meanOfRanks));
        var gathered = group.AllGather(Enumerable.Repeat((byte)rank, rank + 1).ToArray());
        bool gatherOk = gathered.Select((b, r) => b.Length == r + 1 && b.All(x => x == r)).All(x => x);
        lines.Add(gatherOk ? "AllGather (bytes of different lengths): ok" : "AllGather: WRONG");
        return lines;
    }

    private static void Grouped(Action calls)
    {
        NcclCommunicator.GroupStart();
        try
        {
            calls();
        }
        finally
        {
            NcclCommunicator.GroupEnd();
        }
    }

    private static void Upload<T>(CudaDriver driver, ulong device, T[] values) where T : unmanaged =>
        driver.CopyToDevice(device, MemoryMarshal.AsBytes(values.AsSpan()));

    private static T[] Download<T>(CudaDriver driver, ulong device, int count) where T : unmanaged
    {
        var values = new T[count];
        driver.CopyToHost(MemoryMarshal.AsBytes(values.AsSpan()), device);
        return values;
    }

    private static string Verdict<T>(string what, T[] actual, Func<int, T> expected) where T : IEquatable<T>
    {
        int wrong = Enumerable.Range(0, actual.Length).FirstOrDefault(i => !actual[i].Equals(expected(i)), -1);
        return wrong < 0 ? $"{what}: ok ({actual.Length} elements)" : $"{what}: WRONG at {wrong}: {actual[wrong]} instead of {expected(wrong)}";
    }

    private static bool Report(TextWriter log, string line, bool passed)
    {
        log.WriteLine($"{(passed ? "PASS" : "FAIL")} {line}");
        return passed;
    }

    private static void RunRanks(int ranks, Action<int> body)
    {
        var errors = new Exception?[ranks];
        var threads = Enumerable.Range(0, ranks).Select(r => new Thread(() =>
        {
            try
            {
                body(r);
            }
            catch (Exception error)
            {
                errors[r] = error;
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        var failed = errors.Select((e, r) => e is null ? null : $"rank {r}: {e.GetType().Name}: {e.Message}").OfType<string>().ToList();
        if (failed.Count > 0) throw new InvalidOperationException(string.Join("; ", failed));
    }
}
