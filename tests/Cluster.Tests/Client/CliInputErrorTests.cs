namespace Cluster.Tests.Client;

/// <summary>Bad input: one line on stderr naming the file, key or id at fault, a non-zero exit, nothing created.</summary>
public class CliInputErrorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("cli-errors-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void MissingConfigFileIsNamed()
    {
        var missing = Path.Combine(directory, "nope.yaml");
        var result = CliRunner.Run("train", "--in-process", missing, "--work-dir", Path.Combine(directory, "work"));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("nope.yaml", line);
        Assert.False(Directory.Exists(Path.Combine(directory, "work")));
    }

    [Fact]
    public void UnknownKeyNamesFileAndKeyPathAndCreatesNoWorkDir()
    {
        var config = Write("bad.yaml", """
            _base_: {0}
            model:
              backbone: {{depthh: 18}}
            """, CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"));
        var work = Path.Combine(directory, "work");

        var result = CliRunner.Run("train", "--in-process", config, "--work-dir", work);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("bad.yaml", line);
        Assert.Contains("model.backbone.depthh", line);
        Assert.False(Directory.Exists(work));
    }

    [Fact]
    public void WrongTypeFromSetOverrideNamesTheOverride()
    {
        var result = CliRunner.Run("config", "print", CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"),
            "--set", "train_cfg.max_epochs=[1, 2]");
        // config print shows the merged tree; the typed check happens when a run is prepared.
        Assert.Equal(0, result.ExitCode);

        var train = CliRunner.Run("train", "--in-process", CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"),
            "--set", "train_cfg.max_epochs=[1, 2]", "--work-dir", Path.Combine(directory, "work"));
        Assert.Equal(2, train.ExitCode);
        var line = Assert.Single(train.ErrorLines);
        Assert.Contains("train_cfg.max_epochs", line);
        Assert.Contains("--set", line);
    }

    [Fact]
    public void OverrideWithoutEqualsSignIsRejected()
    {
        var result = CliRunner.Run("config", "print", CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"),
            "--set", "train_cfg.max_epochs");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("train_cfg.max_epochs", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void MissingLoadFromCheckpointIsNamedBeforeAnythingIsWritten()
    {
        var work = Path.Combine(directory, "work");
        var result = CliRunner.Run("train", "--in-process", CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"),
            "--set", "load_from=missing/epoch_9.pth", "--work-dir", work, "--json");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("load_from", line);
        Assert.Contains("missing/epoch_9.pth", line);
        Assert.Contains("\"status\":\"failed\"", result.OutputLines[^1]);
        Assert.False(Directory.Exists(work));
    }

    [Fact]
    public void TestWithMissingCheckpointIsNamed()
    {
        var result = CliRunner.Run("test", CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"),
            "--checkpoint", Path.Combine(directory, "none.pth"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("none.pth", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void CorruptCheckpointIsNamed()
    {
        var corrupt = Write("corrupt.pth", "this is not a zip archive");
        var result = CliRunner.Run("test", CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"),
            "--checkpoint", corrupt);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("corrupt.pth", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void UnparsableOptionValueIsOneLineWithExitCode2()
    {
        var result = CliRunner.Run("data", "synth", "ucf", "--out", Path.Combine(directory, "set"), "--classes", "abc");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("abc", Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(Path.Combine(directory, "set")));
    }

    [Fact]
    public void SynthRefusesToWriteIntoANonEmptyFolder()
    {
        var existing = Path.Combine(directory, "set");
        Directory.CreateDirectory(existing);
        File.WriteAllText(Path.Combine(existing, "train_list.txt"), "keep me");

        var result = CliRunner.Run("data", "synth", "ucf", "--out", existing, "--classes", "2");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(existing, Assert.Single(result.ErrorLines));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(existing, "train_list.txt")));
    }

    [Fact]
    public void TestRejectsACheckpointOfAnotherModel()
    {
        // A torchvision ResNet-50 state dict has nothing in common with the demo's ResNet-18 TSN.
        var foreign = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Checkpoints", "resnet50_narrow.pth");
        var result = CliRunner.Run("test", CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"),
            "--checkpoint", foreign, "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("\"status\":\"failed\"", result.OutputLines[^1]);
        Assert.DoesNotContain("top1", result.Output);
    }

    [Theory]
    [InlineData("--device", "gpu7", "--device")]
    [InlineData("--set", "train_cfg.max_epochs=0", "train_cfg.max_epochs")]
    public void RunSettingsAreCheckedBeforeAnythingIsWritten(string option, string value, string named)
    {
        var work = Path.Combine(directory, "work");
        var result = CliRunner.Run("train", "--in-process", CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"), option, value, "--work-dir", work);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(work));
    }

    private string Write(string name, string format, params object[] args)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, args.Length == 0 ? format : string.Format(format, args));
        return path;
    }
}
