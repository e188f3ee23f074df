using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Cluster.Analyzers;

/// <summary>
/// CLU0001: a TorchSharp <c>Scalar</c> made from a number (an implicit or explicit conversion, <c>ToScalar()</c>) must be
/// held by a <c>using</c> local or a field. TorchSharp 0.107 passes a Scalar's native handle to the native call without
/// keeping the managed object alive, so a temporary one can be finalised, and its native value freed, while the call
/// still reads it: training then fails at random ("Unknown scalar type", c10 toDouble asserts). A using local or a
/// field keeps it reachable until after the call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TemporaryScalarAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "CLU0001";

    private static readonly DiagnosticDescriptor Rule = new(
        Id,
        "Temporary TorchSharp Scalar",
        "A temporary TorchSharp Scalar made from {0} can be finalised during the native call it is passed to; hold it in a 'using' local or a field",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var scalar = start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
            if (scalar is null) return;
            start.RegisterOperationAction(c => CheckConversion(c, scalar), OperationKind.Conversion);
            start.RegisterOperationAction(c => CheckInvocation(c, scalar), OperationKind.Invocation);
            start.RegisterOperationAction(c => CheckOperator(c, scalar), OperationKind.Binary, OperationKind.CompoundAssignment);
        });
    }

    private static void CheckConversion(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(conversion.Type, scalar) || conversion.OperatorMethod is null) return;
        if (SymbolEqualityComparer.Default.Equals(conversion.Operand.Type, scalar)) return;
        if (!IsHeld(conversion))
            context.ReportDiagnostic(Diagnostic.Create(Rule, conversion.Syntax.GetLocation(), conversion.Operand.Type?.ToDisplayString() ?? "a value"));
    }

    private static void CheckInvocation(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name != "ToScalar" || !SymbolEqualityComparer.Default.Equals(method.ReturnType, scalar)) return;
        if (!IsHeld(invocation))
            context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), "ToScalar()"));
    }

    /// <summary>TorchSharp's operators on a tensor and a number convert the number to a temporary Scalar inside.</summary>
    private static void CheckOperator(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var method = context.Operation switch
        {
            IBinaryOperation binary => binary.OperatorMethod,
            ICompoundAssignmentOperation compound => compound.OperatorMethod,
            _ => null,
        };
        if (method is null || method.ContainingNamespace?.ToDisplayString() is not ("TorchSharp" or "TorchSharp.torch")) return;
        if (method.ContainingType.ToDisplayString() != "TorchSharp.torch.Tensor") return;
        foreach (var parameter in method.Parameters)
            if (parameter.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Single
                or SpecialType.System_Double or SpecialType.System_Boolean)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), parameter.Type.ToDisplayString() + " (inside TorchSharp's operator)"));
                return;
            }
    }

    /// <summary>Whether the new Scalar goes straight into a using local, a field or a property.</summary>
    private static bool IsHeld(IOperation created)
    {
        var parent = created.Parent;
        while (parent is IParenthesizedOperation) parent = parent.Parent;
        switch (parent)
        {
            case IFieldInitializerOperation:
            case IPropertyInitializerOperation:
                return true;
            case ISimpleAssignmentOperation assignment:
                return assignment.Target is IFieldReferenceOperation or IPropertyReferenceOperation;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation declaration } }:
                return declaration.Parent is IUsingDeclarationOperation
                       || declaration.Parent is IVariableDeclarationGroupOperation { Parent: IUsingOperation or IUsingDeclarationOperation }
                       || declaration.Parent is IUsingOperation;
            default:
                return false;
        }
    }
}
