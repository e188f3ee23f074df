using Cluster.Training.Lfb;

namespace Cluster.Tests.Lfb;

public sealed class FeatureBankFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("lfb-bank-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(FeatureBankDtype.Float32)]
    [InlineData(FeatureBankDtype.Float16)]
    public void RoundTripKeepsEveryEntry(FeatureBankDtype dtype)
    {
        var bank = BankSamples.Make(videos: 3, seconds: 7, channels: 6);
        string path = Path.Combine(folder, "b.bank");
        FeatureBankFile.Save(bank, path, dtype);

        var read = FeatureBankFile.Load(path);
        Assert.Equal(6, read.Channels);
        Assert.Equal(["vid0", "vid1", "vid2"], read.Videos);
        Assert.Equal(bank.SecondCount, read.SecondCount);
        Assert.Equal(bank.PersonCount, read.PersonCount);
        // Values were chosen exact in float16, so both dtypes give the same bits back.
        Assert.True(read.ContentEquals(bank));
        Assert.Equal(BankSamples.ValueOf(2, 905, 1, 5), read.Get("vid2", 905)[1 * 6 + 5]);
        Assert.True(read.Get("vid1", 901).IsEmpty);
    }

    [Fact]
    public void Float16RoundsLikeHalfPrecision()
    {
        var bank = new FeatureBank(3);
        float[] values = [1f / 3, -1234.567f, 1e-3f];
        bank.Add("v", 1, values);
        using var buffer = new MemoryStream();
        FeatureBankFile.Write(bank, buffer, FeatureBankDtype.Float16);
        buffer.Position = 0;
        var read = FeatureBankFile.Read(buffer, "memory");
        Assert.Equal(values.Select(v => (float)(Half)v), read.Get("v", 1).ToArray());
        Assert.NotEqual(values, read.Get("v", 1).ToArray());
    }

    [Fact]
    public void Float16OfManyValuesRoundsToNearestEvenAsTheScalarCastDoes()
    {
        // Enough values for the vectorised conversion's wide path, across the float16 range: subnormals (below
        // 6.1e-5), ties between two halves, the largest half (65504) and overflow to infinity.
        var random = new Random(7);
        var values = new float[4099];
        for (int i = 0; i < values.Length; i++)
        {
            float magnitude = MathF.Pow(10, -7 + 12 * (float)random.NextDouble());
            values[i] = (i % 2 == 0 ? 1 : -1) * magnitude;
        }
        values[0] = 1 + 1f / 2048; // halfway between 1 and the next half: rounds to even (1)
        values[1] = 65504;
        values[2] = 65520; // rounds to infinity
        values[3] = 3e-8f; // rounds to the smallest subnormal half
        var bank = new FeatureBank(values.Length);
        bank.Add("v", 1, values);
        using var buffer = new MemoryStream();
        FeatureBankFile.Write(bank, buffer, FeatureBankDtype.Float16);
        buffer.Position = 0;
        var read = FeatureBankFile.Read(buffer, "memory").Get("v", 1).ToArray();

        Assert.Equal(values.Select(v => (float)(Half)v), read);
        Assert.Equal(1f, read[0]);
        Assert.Equal(65504f, read[1]);
        Assert.Equal(float.PositiveInfinity, read[2]);
        Assert.Equal((float)Half.Epsilon, read[3]);
    }

    [Fact]
    public void Float16IsAboutHalfTheBytes()
    {
        var bank = BankSamples.Make(videos: 4, seconds: 30, channels: 64);
        string f32 = Path.Combine(folder, "f32.bank"), f16 = Path.Combine(folder, "f16.bank");
        FeatureBankFile.Save(bank, f32, FeatureBankDtype.Float32);
        FeatureBankFile.Save(bank, f16, FeatureBankDtype.Float16);
        long big = new FileInfo(f32).Length, small = new FileInfo(f16).Length;
        Assert.Equal(FeatureBankFile.SizeOf(bank, FeatureBankDtype.Float32), big);
        Assert.Equal(FeatureBankFile.SizeOf(bank, FeatureBankDtype.Float16), small);
        Assert.InRange((double)small / big, 0.5, 0.52);
        Assert.Equal(bank.PersonCount * 64 * 2, big - small);
    }

    [Fact]
    public void SameBankGivesSameBytes()
    {
        var a = BankSamples.Make(2, 5, 4);
        var b = FeatureBank.Merge([BankSamples.Make(1, 5, 4, firstVideo: 1), BankSamples.Make(1, 5, 4)]);
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        FeatureBankFile.Write(a, first, FeatureBankDtype.Float32);
        FeatureBankFile.Write(b, second, FeatureBankDtype.Float32);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void InfoReadsHeaderAndIndex()
    {
        var bank = BankSamples.Make(videos: 3, seconds: 10, channels: 8);
        string path = Path.Combine(folder, "i.bank");
        FeatureBankFile.Save(bank, path, FeatureBankDtype.Float16);
        var info = FeatureBankFile.ReadInfo(path);
        // vid0 and vid2: 10 seconds each; vid1 skips odd seconds: 5.
        Assert.Equal(new FeatureBankInfo(3, 25, bank.PersonCount, 8, FeatureBankDtype.Float16, new FileInfo(path).Length), info);
        Assert.Contains("dtype float16", info.ToString());
    }

    [Fact]
    public void TruncatedFileIsOneLineNamingIt()
    {
        string path = Path.Combine(folder, "t.bank");
        FeatureBankFile.Save(BankSamples.Make(2, 5, 4), path, FeatureBankDtype.Float32);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        var error = Assert.Throws<FeatureBankFormatException>(() => FeatureBankFile.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Throws<FeatureBankFormatException>(() => FeatureBankFile.ReadInfo(path));

        File.WriteAllBytes(path, bytes[..10]);
        Assert.Contains("truncated", Assert.Throws<FeatureBankFormatException>(() => FeatureBankFile.Load(path)).Message);
    }

    [Fact]
    public void TruncatedNonSeekableStreamIsTruncated()
    {
        using var buffer = new MemoryStream();
        FeatureBankFile.Write(BankSamples.Make(2, 5, 4), buffer, FeatureBankDtype.Float16);
        using var cut = new ForwardOnlyStream(buffer.ToArray()[..^1]);
        var error = Assert.Throws<FeatureBankFormatException>(() => FeatureBankFile.Read(cut, "blob://x/lfb_train.bank"));
        // 15 persons (9 in vid0, 6 in vid1) × 4 channels × 2 bytes.
        Assert.Equal("feature bank 'blob://x/lfb_train.bank' is truncated: its data should be 120 bytes", error.Message);
    }

    [Fact]
    public void CorruptIndexAndForeignFilesAreRejected()
    {
        string path = Path.Combine(folder, "c.bank");
        FeatureBankFile.Save(BankSamples.Make(2, 5, 4), path, FeatureBankDtype.Float32);
        var bytes = File.ReadAllBytes(path);
        var damaged = (byte[])bytes.Clone();
        damaged[32 + 2 + 4 + 4 + 4] = 0xFF; // the first entry's person count: now huge
        File.WriteAllBytes(path, damaged);
        var error = Assert.Throws<FeatureBankFormatException>(() => FeatureBankFile.Load(path));
        Assert.StartsWith($"feature bank '{path}' is corrupt:", error.Message);

        File.WriteAllBytes(path, [.. bytes, 0]);
        Assert.Contains("is corrupt", Assert.Throws<FeatureBankFormatException>(() => FeatureBankFile.Load(path)).Message);

        File.WriteAllText(path, "video,second\nabc,1\n");
        Assert.Equal($"feature bank '{path}' is not a feature bank file (no CLFB header)",
            Assert.Throws<FeatureBankFormatException>(() => FeatureBankFile.Load(path)).Message);
    }

    /// <summary>A stream that cannot seek (as a blob download stream), to exercise the unseekable checks.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
