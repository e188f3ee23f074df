using Cluster.Training.Checkpoints;
using Cluster.Training.Configs;
using Cluster.Training.Data.Decoding;

namespace Cluster.Client.Commands;

/// <summary>Turns a failure into the one-line message and exit code the CLI promises.</summary>
internal static class CommandErrors
{
    public const int BadInput = 2;
    public const int Failed = 1;

    public static int Run(TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("error: cancelled");
            return 130;
        }
        catch (Exception e) when (IsUserError(e))
        {
            error.WriteLine($"error: {OneLine(e.Message)}");
            return BadInput;
        }
        catch (Exception e)
        {
            error.WriteLine($"error: {OneLine(e.Message)} ({e.GetType().Name})");
            return Failed;
        }
    }

    private static bool IsUserError(Exception e) =>
        e is ConfigException or CheckpointFormatException or StateDictMismatchException or InvalidMediaException
            or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or FormatException
            or ArgumentException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
