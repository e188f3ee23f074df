using Cluster.Client;

return CommandLine.Run(args, Console.Out, Console.Error);
