namespace Agepar.Bff.Automations.Dfd;

/// <summary>
/// A validated DFD: what <see cref="DfdAutomation"/> reads from the submit body and, serialized (camelCase), the
/// payload stored in <c>submissions.payload</c> and read back by the worker. <see cref="Protocolo"/> is normalized
/// (trimmed, upper case) because the unique index compares it as stored.
/// </summary>
internal sealed record DfdInput(
    int Ano,
    string Diretoria,
    string Protocolo,
    string Assunto,
    string Justificativa,
    DateOnly? DataPretendida,
    string GrauPrioridade,
    IReadOnlyList<DfdItem> Itens,
    decimal ValorTotal);

/// <summary>One DFD item line; <see cref="ValorTotal"/> is quantidade × valorUnitario rounded to cents.</summary>
internal sealed record DfdItem(string Descricao, string Unidade, decimal Quantidade, decimal ValorUnitario, decimal ValorTotal);
