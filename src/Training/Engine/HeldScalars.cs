using TorchSharp;

namespace Cluster.Training.Engine;

/// <summary>
/// The TorchSharp Scalars of one computation, kept reachable until it is disposed (then freed together). TorchSharp
/// 0.107 hands a Scalar's native handle to the native call without keeping the managed object alive, so a temporary
/// Scalar (an implicit conversion of a number, or TorchSharp's own operators on a tensor and a number) can be finalised
/// while the call still reads it. Pass <c>held.Of(x)</c> where a number would go; the build's CLU0001 analyzer
/// (build/Analyzers) rejects temporaries in src/Training.
/// </summary>
public sealed class HeldScalars : IDisposable
{
    private readonly List<Scalar> made = [];

#pragma warning disable CLU0001 // Keep holds it in the list
    /// <summary>An integral Scalar (as an int or long argument would make).</summary>
    public Scalar Of(long value) => Keep(value.ToScalar());

    /// <summary>A floating-point Scalar (as a float or double argument would make).</summary>
    public Scalar Of(double value) => Keep(value.ToScalar());
#pragma warning restore CLU0001

    public void Dispose()
    {
        foreach (var scalar in made) scalar.Dispose();
        made.Clear();
    }

    private Scalar Keep(Scalar scalar)
    {
        made.Add(scalar);
        return scalar;
    }
}
