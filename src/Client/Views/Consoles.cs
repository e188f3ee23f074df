using Spectre.Console;

namespace Cluster.Client.Views;

/// <summary>Spectre consoles over the command's writers: ANSI and live updates only on a real terminal.</summary>
internal static class Consoles
{
    /// <summary>
    /// Live views need the process's own stdout on a terminal; tests and pipes pass other writers, --json wants a
    /// parseable stdout, and CI logs are no terminal either.
    /// </summary>
    public static bool IsInteractive(TextWriter output, bool json) =>
        !json && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static IAnsiConsole For(TextWriter output, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // A pipe has no width; wide enough that ids and silo addresses are not wrapped.
        if (!interactive) console.Profile.Width = 160;
        return console;
    }
}
