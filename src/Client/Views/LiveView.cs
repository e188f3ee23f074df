using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Client.Views;

/// <summary>Shows a followed status live on a terminal (the view re-rendered at each poll), else as plain lines.</summary>
internal static class LiveView
{
    /// <param name="poll">Polls to the end, showing each status through the given action; returns the final one.</param>
    public static async Task<T> Follow<T>(TextWriter output, bool interactive, string id, Func<Action<T>, Task<T>> poll,
        Func<T, IRenderable> render, Action<T> plain)
    {
        if (!interactive) return await poll(plain);
        T? final = default;
        await Consoles.For(output, interactive: true).Live(new Text($"{id}: connecting")).AutoClear(false).StartAsync(async live =>
        {
            final = await poll(status =>
            {
                live.UpdateTarget(render(status));
                live.Refresh();
            });
        });
        return final!;
    }
}
