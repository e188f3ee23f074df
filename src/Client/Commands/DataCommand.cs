using System.CommandLine;
using Cluster.Training.Synthetic;

namespace Cluster.Client.Commands;

/// <summary>`cluster data synth ucf`: writes a UCF101-style synthetic video dataset.</summary>
internal static class DataCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var data = new Command("data", "Dataset tools");
        var synth = new Command("synth", "Write synthetic datasets");
        synth.Subcommands.Add(CreateUcf(output, error));
        data.Subcommands.Add(synth);
        return data;
    }

    private static Command CreateUcf(TextWriter output, TextWriter error)
    {
        var defaults = new SynthOptions { OutDir = "" };
        var outDir = new Option<string>("--out") { Description = "Output folder", Required = true };
        var classes = new Option<int>("--classes") { Description = "Number of classes", DefaultValueFactory = _ => defaults.Classes };
        var perClass = new Option<int>("--videos-per-class") { Description = "Videos per class", DefaultValueFactory = _ => defaults.VideosPerClass };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => defaults.Seed };
        var motionOnly = new Option<bool>("--motion-only") { Description = "Classes differ only in motion (needs a temporal model)" };
        var frames = new Option<int>("--frames") { Description = "Frames per video", DefaultValueFactory = _ => defaults.Frames };
        var size = new Option<int>("--size") { Description = "Frame width and height in pixels", DefaultValueFactory = _ => defaults.Size };
        var format = new Option<SynthFormats>("--format") { Description = "videos, rawframes or both", DefaultValueFactory = _ => defaults.Formats };
        var valFraction = new Option<double>("--val-fraction") { Description = "Share of each class for validation", DefaultValueFactory = _ => defaults.ValFraction };

        var ucf = new Command("ucf", "UCF101-style set of moving shapes on textured backgrounds")
        {
            outDir, classes, perClass, seed, motionOnly, frames, size, format, valFraction,
        };
        ucf.SetAction(parse => CommandErrors.Run(error, () =>
        {
            var target = parse.GetValue(outDir)!;
            // Writing into an earlier set would mix its videos and lists with the new ones.
            if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
                throw new ArgumentException($"--out {target}: the folder exists and is not empty; choose a new one");
            var result = UcfSynthesizer.Generate(new SynthOptions
            {
                OutDir = target,
                Classes = parse.GetValue(classes),
                VideosPerClass = parse.GetValue(perClass),
                Seed = parse.GetValue(seed),
                MotionOnly = parse.GetValue(motionOnly),
                Frames = parse.GetValue(frames),
                Size = parse.GetValue(size),
                Formats = parse.GetValue(format),
                ValFraction = parse.GetValue(valFraction),
            });
            output.WriteLine($"wrote {result.TrainVideos} train and {result.ValVideos} val videos of {result.Classes.Count} classes to {result.OutDir}");
            foreach (var list in new[] { result.TrainList, result.ValList, result.TrainRawframeList, result.ValRawframeList, result.ClassIndex })
                if (list is not null) output.WriteLine($"  {list}");
            return 0;
        }));
        return ucf;
    }
}
