using System.Text;

namespace Cluster.Training.Lfb;

/// <summary>
/// The bank file (<c>.bank</c>), version 1, all integers little-endian:
/// <list type="number">
/// <item>header, 32 bytes: magic <c>"CLFB"</c>, uint16 version, uint8 dtype (1 float32, 2 float16), uint8 0,
/// int32 channels, int32 videos, int32 seconds (entries), int64 persons (rows), int32 index bytes;</item>
/// <item>index: per video in ordinal id order, uint16 id length, the id in UTF-8, int32 entry count, then per entry in
/// ascending second order int32 second, int32 persons;</item>
/// <item>data: every entry's rows in index order, persons × channels raw values of the dtype.</item>
/// </list>
/// The same bank always gives the same bytes, so banks computed on different machines compare as files.
/// Reading checks everything the header and index promise (sizes, order, totals, file length): a truncated or
/// damaged file is a <see cref="FeatureBankFormatException"/> naming it, never a partly filled bank.
/// </summary>
public static class FeatureBankFile
{
    public const string Extension = ".bank";
    private const int HeaderBytes = 32;
    private const ushort Version = 1;
    private static ReadOnlySpan<byte> Magic => "CLFB"u8;

    public static void Write(FeatureBank bank, Stream stream, FeatureBankDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(stream);
        dtype.BytesPerValue(); // rejects an unknown dtype before anything is written
        var entries = bank.Entries().ToList();
        byte[] index = IndexOf(entries, bank.Channels);
        using (var header = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            header.Write(Magic);
            header.Write(Version);
            header.Write((byte)dtype);
            header.Write((byte)0);
            header.Write(bank.Channels);
            header.Write(bank.VideoCount);
            header.Write(bank.SecondCount);
            header.Write(bank.PersonCount);
            header.Write(index.Length);
            header.Write(index);
        }
        var values = new LittleEndianValues();
        foreach (var (_, seconds) in entries)
            foreach (var (_, rows) in seconds)
                values.Write(stream, rows, dtype);
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then moves it there (readers never see a part).</summary>
    public static void Save(FeatureBank bank, string path, FeatureBankDtype dtype)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
                Write(bank, file, dtype);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <param name="source">The file or blob the stream reads, for error messages.</param>
    /// <exception cref="FeatureBankFormatException">Not a bank, truncated, or inconsistent.</exception>
    public static FeatureBank Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (header, index) = ReadHeaderAndIndex(stream, source);
        var bank = new FeatureBank(header.Channels);
        var values = new LittleEndianValues();
        try
        {
            foreach (var (video, seconds) in index)
                foreach (var (second, persons) in seconds)
                {
                    var rows = new float[(long)persons * header.Channels];
                    values.Read(stream, rows, header.Dtype);
                    bank.Insert(video, second, rows);
                }
        }
        catch (EndOfStreamException)
        {
            throw new FeatureBankFormatException(source, $"is truncated: its data should be {DataBytes(header)} bytes");
        }
        if (!stream.CanSeek && stream.ReadByte() != -1)
            throw new FeatureBankFormatException(source, "has bytes after its data (corrupt)");
        return bank;
    }

    /// <exception cref="FeatureBankFormatException">Not a bank, truncated, or inconsistent.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static FeatureBank Load(string path)
    {
        using var file = OpenRead(path);
        return Read(file, path);
    }

    /// <summary>Header and index only (the data is not read, but the file length is checked when seekable).</summary>
    /// <exception cref="FeatureBankFormatException">Not a bank, truncated, or inconsistent.</exception>
    public static FeatureBankInfo ReadInfo(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (header, _) = ReadHeaderAndIndex(stream, source);
        return new FeatureBankInfo(header.Videos, header.Seconds, header.Persons, header.Channels, header.Dtype,
            HeaderBytes + header.IndexBytes + DataBytes(header));
    }

    public static FeatureBankInfo ReadInfo(string path)
    {
        using var file = OpenRead(path);
        return ReadInfo(file, path);
    }

    /// <summary>The bytes <see cref="Write"/> produces for <paramref name="bank"/> in <paramref name="dtype"/>.</summary>
    public static long SizeOf(FeatureBank bank, FeatureBankDtype dtype) =>
        HeaderBytes + IndexOf(bank.Entries().ToList(), bank.Channels).Length + bank.PersonCount * bank.Channels * dtype.BytesPerValue();

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);

    private static byte[] IndexOf(IReadOnlyList<(string Video, IReadOnlyList<(int Second, float[] Rows)> Seconds)> entries, int channels)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var (video, seconds) in entries)
            {
                byte[] id = Encoding.UTF8.GetBytes(video);
                if (id.Length > ushort.MaxValue) throw new ArgumentException($"video id '{video[..40]}...' is too long for a bank file");
                writer.Write((ushort)id.Length);
                writer.Write(id);
                writer.Write(seconds.Count);
                foreach (var (second, rows) in seconds)
                {
                    writer.Write(second);
                    writer.Write(rows.Length / channels);
                }
            }
        }
        return buffer.ToArray();
    }

    private sealed record Header(FeatureBankDtype Dtype, int Channels, int Videos, int Seconds, long Persons, int IndexBytes);

    private static long DataBytes(Header header) => header.Persons * header.Channels * header.Dtype.BytesPerValue();

    private static (Header, List<(string Video, List<(int Second, int Persons)> Seconds)>) ReadHeaderAndIndex(Stream stream, string source)
    {
        FeatureBankFormatException Corrupt(string problem) => new(source, $"is corrupt: {problem}");
        long start = stream.CanSeek ? stream.Position : 0;
        var bytes = new byte[HeaderBytes];
        int got = stream.ReadAtLeast(bytes, HeaderBytes, throwOnEndOfStream: false);
        if (got >= Magic.Length && !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new FeatureBankFormatException(source, "is not a feature bank file (no CLFB header)");
        if (got < HeaderBytes) throw new FeatureBankFormatException(source, $"is truncated: {got} bytes, shorter than its header");
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        reader.ReadBytes(Magic.Length);
        ushort version = reader.ReadUInt16();
        if (version != Version) throw new FeatureBankFormatException(source, $"has format version {version}; this build reads version {Version}");
        var dtype = (FeatureBankDtype)reader.ReadByte();
        if (dtype is not (FeatureBankDtype.Float32 or FeatureBankDtype.Float16)) throw Corrupt($"unknown dtype code {(byte)dtype}");
        reader.ReadByte();
        var header = new Header(dtype, reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt32());
        if (header.Channels <= 0 || header.Videos < 0 || header.Seconds < header.Videos || header.Persons < header.Seconds
            || header.IndexBytes < 0 || header.Persons > long.MaxValue / 4 / header.Channels)
            throw Corrupt($"impossible header (channels {header.Channels}, videos {header.Videos}, seconds {header.Seconds}, persons {header.Persons})");
        if (stream.CanSeek)
        {
            long expected = HeaderBytes + header.IndexBytes + DataBytes(header);
            long actual = stream.Length - start;
            if (actual < expected) throw new FeatureBankFormatException(source, $"is truncated: {actual} bytes of the {expected} its header promises");
            if (actual > expected) throw Corrupt($"{actual} bytes where its header promises {expected}");
        }
        var indexBytes = new byte[header.IndexBytes];
        if (stream.ReadAtLeast(indexBytes, indexBytes.Length, throwOnEndOfStream: false) < indexBytes.Length)
            throw new FeatureBankFormatException(source, "is truncated inside its index");
        return (header, ParseIndex(indexBytes, header, Corrupt));
    }

    private static List<(string, List<(int, int)>)> ParseIndex(byte[] bytes, Header header, Func<string, Exception> corrupt)
    {
        var videos = new List<(string, List<(int, int)>)>(header.Videos);
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        int seconds = 0;
        long persons = 0;
        string? previous = null;
        try
        {
            for (int v = 0; v < header.Videos; v++)
            {
                string video = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadUInt16()));
                if (video.Length == 0 || (previous is not null && string.CompareOrdinal(previous, video) >= 0))
                    throw corrupt($"video ids out of order or empty at video {v}");
                int count = reader.ReadInt32();
                if (count <= 0 || count > header.Seconds - seconds) throw corrupt($"video '{video}' claims {count} seconds");
                var entries = new List<(int, int)>(count);
                for (int e = 0; e < count; e++)
                {
                    int second = reader.ReadInt32(), rows = reader.ReadInt32();
                    if (rows <= 0 || (e > 0 && second <= entries[^1].Item1))
                        throw corrupt($"video '{video}' entry {e} (second {second}, {rows} persons) is out of order or empty");
                    entries.Add((second, rows));
                    persons += rows;
                }
                seconds += count;
                previous = video;
                videos.Add((video, entries));
            }
        }
        catch (EndOfStreamException)
        {
            throw corrupt("its index is shorter than its header says");
        }
        if (reader.BaseStream.Position != bytes.Length || seconds != header.Seconds || persons != header.Persons)
            throw corrupt($"its index holds {seconds} seconds and {persons} persons, its header {header.Seconds} and {header.Persons}");
        return videos;
    }
}
