using System.CommandLine;
using Cluster.Training.Configs;

namespace Cluster.Client.Commands;

/// <summary>`cluster config print`: the fully merged config (bases, deletes, references and --set applied) as YAML.</summary>
internal static class ConfigCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Command("config", "Config tools");
        var file = new Argument<string>("config") { Description = "Config file (YAML or JSON)" };
        var set = CommonOptions.Set();
        var print = new Command("print", "Print the fully merged config as YAML") { file, set };
        print.SetAction(parse => CommandErrors.Run(error, () =>
        {
            var document = ConfigLoader.Load(parse.GetValue(file)!, parse.GetValue(set) ?? []);
            output.Write(document.ToYaml());
            return 0;
        }));
        config.Subcommands.Add(print);
        return config;
    }
}
