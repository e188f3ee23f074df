using System.CommandLine;
using Cluster.Client.Commands;
using Cluster.Client.Commands.Lfb;
using Cluster.Client.Commands.Sweeps;

namespace Cluster.Client;

/// <summary>The `cluster` command tree. Every command reports bad input as one line on stderr and a non-zero exit.</summary>
public static class CommandLine
{
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("cluster: train and evaluate MMAction2-style video models");
        root.Subcommands.Add(TrainCommand.Create(output, error));
        root.Subcommands.Add(TestCommand.Create(output, error));
        root.Subcommands.Add(ConfigCommand.Create(output, error));
        root.Subcommands.Add(DataCommand.Create(output, error));
        root.Subcommands.Add(DemoCommand.Create(output, error));
        foreach (var command in ExperimentCommands.Create(output, error)) root.Subcommands.Add(command);
        root.Subcommands.Add(SweepCommands.Create(output, error));
        root.Subcommands.Add(RetrainCommand.Create(output, error));
        root.Subcommands.Add(LfbCommands.Create(output, error));
        root.Subcommands.Add(TopCommand.Create(output, error));
        root.Subcommands.Add(SiloCommand.Create(output, error));
        root.Subcommands.Add(Commands.Bench.BenchCommand.Create(output, error));
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var parsed = Build(output, error).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"error: {parsed.Errors[0].Message} (see --help)");
            return Commands.CommandErrors.BadInput;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
