using Cluster.Training.Checkpoints;
using Cluster.Training.Configs;
using Cluster.Training.Data.Decoding;
using Cluster.Training.Engine;

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
            or ArgumentException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
