namespace Cluster.Client.Commands;

/// <summary>A token that Ctrl+C cancels while the scope lives (instead of killing the process).</summary>
internal sealed class CtrlC : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly ConsoleCancelEventHandler handler;

    public CtrlC()
    {
        handler = (_, args) =>
        {
            args.Cancel = true;
            source.Cancel();
        };
        Console.CancelKeyPress += handler;
    }

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= handler;
        source.Dispose();
    }
}
