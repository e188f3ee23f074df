using Microsoft.Extensions.Logging;

namespace Cluster.Grains;

public static class GrainReminders
{
    /// <summary>
    /// Unregisters the grain's reminder <paramref name="name"/> if it has one. A failure is only logged: the reminder
    /// then fires again later and finds the grain's work done.
    /// </summary>
    public static async Task ForgetReminder(this Grain grain, string name, ILogger logger)
    {
        try
        {
            if (await grain.GetReminder(name) is { } reminder) await grain.UnregisterReminder(reminder);
        }
        catch (Exception e)
        {
            logger.LogWarning("{Grain}: could not unregister its reminder '{Reminder}': {Error}", grain.GetGrainId(), name, e.Message);
        }
    }
}
