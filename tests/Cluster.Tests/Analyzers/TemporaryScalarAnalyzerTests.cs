using System.Collections.Immutable;
using Cluster.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cluster.Tests.Analyzers;

/// <summary>
/// CLU0001 over small programs compiled against the real TorchSharp assembly: every way our code makes a temporary
/// Scalar is reported at its place, and the held ways (using local, using statement, field, HeldScalars-style keeper,
/// tensor operands) are not.
/// </summary>
public sealed class TemporaryScalarAnalyzerTests
{
    private const string Prelude = """
        using TorchSharp;
        using static TorchSharp.torch;
        public static class Code
        {
            private static readonly Scalar Half = 0.5.ToScalar();
            private static Scalar Quarter { get; } = 0.25.ToScalar();

        """;

    [Theory]
    [InlineData("x.mul_(2.0);", "2.0", "double")]
    [InlineData("x.clamp_min(0);", "0", "int")]
    [InlineData("x.add_(x, alpha: 0.1f);", "0.1f", "float")]
    [InlineData("var y = x * 2.0;", "x * 2.0", "inside TorchSharp's operator")]
    [InlineData("var y = 1 - x;", "1 - x", "inside TorchSharp's operator")]
    [InlineData("x /= 4L;", "x /= 4L", "inside TorchSharp's operator")]
    [InlineData("x.mul_(3.0.ToScalar());", "3.0.ToScalar()", "ToScalar()")]
    [InlineData("var s = 3.0.ToScalar(); x.mul_(s);", "3.0.ToScalar()", "ToScalar()")]
    [InlineData("Scalar s = 3.0; x.mul_(s);", "3.0", "double")]
    public void A_temporary_scalar_is_reported_where_it_is_made(string statement, string flagged, string madeFrom)
    {
        var diagnostic = Assert.Single(Analyze(statement));

        Assert.Equal(TemporaryScalarAnalyzer.Id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(madeFrom, diagnostic.GetMessage());
        Assert.Equal(flagged, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Theory]
    [InlineData("using var s = 3.0.ToScalar(); x.mul_(s);")]
    [InlineData("using (Scalar s = 3.0) x.mul_(s);")]
    [InlineData("using Scalar s = 2; var y = x * s;")]
    [InlineData("x.mul_(Half); var y = Quarter * x;")]
    [InlineData("var y = x * x + x / x;")]
    [InlineData("x.uniform_(-1.0, 1.0);")]
    public void A_held_scalar_or_a_tensor_operand_is_accepted(string statement)
    {
        Assert.Empty(Analyze(statement));
    }

    private static ImmutableArray<Diagnostic> Analyze(string statement)
    {
        string source = Prelude + "    public static void Run(Tensor x) { " + statement + " }\n}\n";
        // Everything this test process loads from: the runtime's assemblies and TorchSharp.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Probe", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return compilation.WithAnalyzers([new TemporaryScalarAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }
}
