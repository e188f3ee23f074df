namespace Cluster.Abstractions.Lfb;

/// <summary>Nothing was ever asked of this bank id.</summary>
[GenerateSerializer]
public sealed class UnknownBankException(string bankId) : Exception($"unknown feature bank '{bankId}'")
{
    [Id(0)] public string BankId { get; } = bankId;
}

/// <summary>The request was refused (bad split, dtype or shard count, a conflict with the bank's other request); nothing was stored.</summary>
[GenerateSerializer]
public sealed class BankRejectedException(string message) : Exception(message);
