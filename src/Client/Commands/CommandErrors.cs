using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Lfb;
using Cluster.Abstractions.Sweeps;
using Cluster.Client.Connection;
using Cluster.Training.Checkpoints;
using Cluster.Training.Configs;
using Cluster.Training.Data.Decoding;
using Cluster.Training.Engine;
using Cluster.Training.Lfb;
using Cluster.Training.Storage;

namespace Cluster.Client.Commands;

/// <summary>Turns a failure into the one-line message and exit code the CLI promises.</summary>
internal static class CommandErrors
{
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Cancelled = 130;

    /// <param name="jsonOutput">With --json: where the failure is also printed as the final JSON line.</param>
    public static int Run(TextWriter error, Func<int> body, TextWriter? jsonOutput = null)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            error.WriteLine($"error: {message}");
            jsonOutput?.WriteLine(ResultJson.ForError(message));
            return code;
        }
    }

    /// <summary><see cref="Run"/> for the commands that talk to the cluster.</summary>
    public static int Run(TextWriter error, Func<Task<int>> body, TextWriter? jsonOutput = null) =>
        Run(error, () => body().GetAwaiter().GetResult(), jsonOutput);

    /// <summary>Exit code of a followed run: 0 Completed, 1 Failed, 130 Cancelled (as a Ctrl+C'd local run).</summary>
    public static int ForState(ExperimentState state) => state switch
    {
        ExperimentState.Completed => 0,
        ExperimentState.Cancelled => Cancelled,
        _ => Failed,
    };

    private static (int Code, string Message) Describe(Exception e) => e switch
    {
        OperationCanceledException => (Cancelled, "cancelled"),
        NonFiniteLossException => (Failed, OneLine(e.Message)),
        _ when IsUserError(e) => (BadInput, OneLine(e.Message)),
        _ => (Failed, $"{OneLine(e.Message)} ({e.GetType().Name})"),
    };

    private static bool IsUserError(Exception e) =>
        e is ConfigException or CheckpointFormatException or StateDictMismatchException or InvalidMediaException
            or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or FormatException
            or ArgumentException or UnknownExperimentException or ExperimentRejectedException
            or ClusterUnreachableException or ArtifactNotFoundException or ArtifactCorruptException
            or ArtifactStoreUnavailableException or UnknownSweepException or UnknownTrialException or SweepRejectedException
            or UnknownBankException or BankRejectedException or FeatureBankFormatException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
