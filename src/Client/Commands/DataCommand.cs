using System.CommandLine;
using Cluster.Training.Synthetic;

namespace Cluster.Client.Commands;

/// <summary>`cluster data synth ucf|ava`: writes a synthetic UCF101-style video dataset or AVA-like detection set.</summary>
internal static class DataCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var data = new Command("data", "Dataset tools");
        var synth = new Command("synth", "Write synthetic datasets");
        synth.Subcommands.Add(CreateUcf(output, error));
        synth.Subcommands.Add(CreateAva(output, error));
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
            RequireEmptyTarget(target);
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

    private static Command CreateAva(TextWriter output, TextWriter error)
    {
        var defaults = new AvaSynthOptions { OutDir = "" };
        var outDir = new Option<string>("--out") { Description = "Output folder", Required = true };
        var videos = new Option<int>("--videos") { Description = "Training videos", DefaultValueFactory = _ => defaults.TrainVideos };
        var valVideos = new Option<int>("--val-videos") { Description = "Validation videos", DefaultValueFactory = _ => defaults.ValVideos };
        var seconds = new Option<int>("--seconds") { Description = "Length of each video in seconds", DefaultValueFactory = _ => defaults.Seconds };
        var fps = new Option<int>("--fps") { Description = "Frames per second", DefaultValueFactory = _ => defaults.Fps };
        var size = new Option<int>("--size") { Description = "Frame width and height in pixels", DefaultValueFactory = _ => defaults.Size };
        var step = new Option<int>("--keyframe-step") { Description = "Seconds between annotated keyframes", DefaultValueFactory = _ => defaults.KeyframeStep };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => defaults.Seed };

        var ava = new Command("ava",
            "AVA-like set (rawframes, CSVs, label map, proposals) where a hidden scene shows only in a few cue seconds")
        {
            outDir, videos, valVideos, seconds, fps, size, step, seed,
        };
        ava.SetAction(parse => CommandErrors.Run(error, () =>
        {
            var target = parse.GetValue(outDir)!;
            RequireEmptyTarget(target);
            var result = AvaSynthesizer.Generate(new AvaSynthOptions
            {
                OutDir = target,
                TrainVideos = parse.GetValue(videos),
                ValVideos = parse.GetValue(valVideos),
                Seconds = parse.GetValue(seconds),
                Fps = parse.GetValue(fps),
                Size = parse.GetValue(size),
                KeyframeStep = parse.GetValue(step),
                Seed = parse.GetValue(seed),
            });
            output.WriteLine($"wrote {result.TrainVideos} train and {result.ValVideos} val videos " +
                             $"({result.TrainKeyframes} and {result.ValKeyframes} keyframes) to {result.OutDir}");
            foreach (var file in new[]
                     {
                         result.TrainAnnFile, result.ValAnnFile, result.TrainExcludeFile, result.ValExcludeFile, result.LabelFile,
                         result.TrainProposalFile, result.ValProposalFile, result.TruthFile, result.Readme,
                     })
                output.WriteLine($"  {file}");
            return 0;
        }));
        return ava;
    }

    /// <summary>Writing into an earlier set would mix its files with the new ones.</summary>
    private static void RequireEmptyTarget(string target)
    {
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new ArgumentException($"--out {target}: the folder exists and is not empty; choose a new one");
    }
}
