using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Datasets;
using OpenCvSharp;

namespace Cluster.Training.Synthetic;

/// <summary>A person of a synthetic AVA video: a filled rectangle with its place and motion class at every frame.</summary>
internal sealed record AvaSynthPerson(int PersonId, Scalar Colour, int Width, int Height, int[] X, int[] Y, int[] Motion);

/// <summary>
/// Everything about one synthetic AVA video. Appearance, persons and motion come from the video's own seed; the
/// hidden scene from a separate one, so <see cref="WithScene"/> changes the scene and nothing else: frames differ only
/// where the cue marker shows (within a second of a cue timestamp), labels only in the scene classes.
/// </summary>
internal sealed record AvaSynthVideo(
    string VideoId, bool IsVal, int Scene, int[] CueTimestamps, Scalar Background, int TextureSeed,
    IReadOnlyList<AvaSynthPerson> Persons, int[] Keyframes, int? ExcludedTimestamp, int ProposalSeed, int Fps, int Size)
{
    public int FrameCount => Persons[0].X.Length;

    public static AvaSynthVideo Draw(AvaSynthOptions options, string videoId, bool isVal, int index)
    {
        int split = isVal ? 1 : 0;
        var random = new Random(SampleSeed.Derive(options.Seed, split, index));
        int scene = new Random(SampleSeed.Derive(options.Seed, 10 + split, index)).Next(AvaSynthClasses.SceneCount);
        int size = options.Size, fps = options.Fps, frames = options.Seconds * fps;

        var keyframes = Enumerable.Range(0, int.MaxValue)
            .Select(k => AvaSynthOptions.TimestampStart + 2 + k * options.KeyframeStep)
            .TakeWhile(t => t <= options.TimestampEnd - 2)
            .ToArray();
        int quarter = Math.Max(1, keyframes.Length / 4);
        // One cue, in the first or the last quarter, so most keyframes are 10 s or more away from it.
        int[] cues = [random.Next(2) == 0 ? keyframes[random.Next(quarter)] : keyframes[keyframes.Length - 1 - random.Next(quarter)]];

        var background = new Scalar(random.Next(20, 90), random.Next(20, 90), random.Next(20, 90));
        int textureSeed = random.Next();
        int personCount = random.Next(1, 4);
        var persons = Enumerable.Range(0, personCount).Select(p => DrawPerson(random, p, personCount, size, fps, frames)).ToList();

        int? excluded = null;
        if (index % 4 == 3)
        {
            var candidates = keyframes.Where(t => !cues.Contains(t)).ToArray();
            excluded = candidates[random.Next(candidates.Length)];
        }
        return new AvaSynthVideo(videoId, isVal, scene, cues, background, textureSeed, persons, keyframes, excluded,
            random.Next(), fps, size);
    }

    public AvaSynthVideo WithScene(int scene) => this with { Scene = scene };

    public int FrameOf(int timestamp) => (timestamp - AvaSynthOptions.TimestampStart) * Fps;

    /// <summary>The cue marker shows within one second of a cue timestamp.</summary>
    public bool MarkerVisible(int frame) => CueTimestamps.Any(cue => Math.Abs(frame - FrameOf(cue)) <= Fps);

    public NormalizedBox BoxAt(AvaSynthPerson person, int frame) => new(
        person.X[frame] / (float)Size, person.Y[frame] / (float)Size,
        (person.X[frame] + person.Width) / (float)Size, (person.Y[frame] + person.Height) / (float)Size);

    /// <summary>The person's actions at a frame: its motion class, and the scene's class if the scene has one.</summary>
    public int[] ActionsAt(AvaSynthPerson person, int frame) =>
        AvaSynthClasses.SceneClass(Scene) is int sceneClass ? [person.Motion[frame], sceneClass] : [person.Motion[frame]];

    /// <summary>
    /// A person keeps to its own vertical band (so persons hardly overlap) and switches between standing, walking
    /// sideways (bouncing off the band's edges) and jumping (a bounce of period 0.75 s) every 3–6 seconds.
    /// </summary>
    private static AvaSynthPerson DrawPerson(Random random, int personId, int personCount, int size, int fps, int frames)
    {
        int width = Math.Max(4, (int)Math.Round(size * 0.16));
        int height = Math.Max(8, (int)Math.Round(size * 0.30));
        int bandLeft = personId * size / personCount, bandRight = (personId + 1) * size / personCount;
        int minX = bandLeft + 1, maxX = Math.Max(minX, bandRight - width - 1);
        int jump = Math.Max(2, (int)Math.Round(size * 0.08));
        int baseY = random.Next(jump + 2, size - height - 1);
        int speed = Math.Max(1, (int)Math.Round(size * 0.04));
        int bouncePeriod = Math.Max(3, (int)Math.Round(0.75 * fps));
        var colour = new Scalar(random.Next(60, 200), random.Next(60, 200), random.Next(60, 200));

        var xs = new int[frames];
        var ys = new int[frames];
        var motion = new int[frames];
        int x = random.Next(minX, maxX + 1), direction = random.Next(2) == 0 ? -1 : 1;
        int frame = 0;
        while (frame < frames)
        {
            int state = AvaSynthClasses.MotionClasses[random.Next(AvaSynthClasses.MotionClasses.Length)];
            int length = random.Next(3, 7) * fps;
            for (int k = 0; k < length && frame < frames; k++, frame++)
            {
                if (state == AvaSynthClasses.Walk && maxX > minX)
                {
                    x += direction * speed;
                    if (x < minX || x > maxX)
                    {
                        direction = -direction;
                        x = Math.Clamp(x, minX, maxX);
                    }
                }
                int lift = state == AvaSynthClasses.Jump ? (int)Math.Round(jump * Math.Abs(Math.Sin(Math.PI * k / bouncePeriod))) : 0;
                xs[frame] = x;
                ys[frame] = baseY - lift;
                motion[frame] = state;
            }
        }
        return new AvaSynthPerson(personId, colour, width, height, xs, ys, motion);
    }
}
