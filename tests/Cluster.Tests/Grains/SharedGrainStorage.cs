using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace Cluster.Tests.Grains;

/// <summary>
/// Grain storage for in-process test clusters that outlives any one silo (Orleans' memory storage keeps state in
/// grains, which die with a killed silo). One instance is shared by every silo of a test cluster; state is kept
/// serialized, so each read returns a fresh copy, and ETags are checked as a real provider does.
/// </summary>
internal sealed class SharedGrainStorage
{
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ETag)> entries = new();
    private long version;

    public int Count => entries.Count;

    public bool Contains(string stateName, GrainId grainId) => entries.ContainsKey(Key(stateName, grainId));

    public IGrainStorage For(Serializer serializer) => new Provider(this, serializer);

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";

    private sealed class Provider(SharedGrainStorage store, Serializer serializer) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (store.entries.TryGetValue(Key(stateName, grainId), out var entry))
            {
                grainState.State = serializer.Deserialize<T>(entry.Bytes);
                grainState.ETag = entry.ETag;
                grainState.RecordExists = true;
            }
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var key = Key(stateName, grainId);
            var etag = Interlocked.Increment(ref store.version).ToString();
            var bytes = serializer.SerializeToArray(grainState.State);
            lock (store.entries)
            {
                var current = store.entries.TryGetValue(key, out var entry) ? entry.ETag : null;
                if (current != grainState.ETag)
                    throw new InconsistentStateException($"ETag mismatch for {key}", current ?? "", grainState.ETag ?? "");
                store.entries[key] = (bytes, etag);
            }
            grainState.ETag = etag;
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            store.entries.TryRemove(Key(stateName, grainId), out _);
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
    }
}
