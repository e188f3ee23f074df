using System.CommandLine;
using Cluster.Client.Commands;

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
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        var config = new InvocationConfiguration { Output = output, Error = error };
        return root.Parse(args).Invoke(config);
    }
}
