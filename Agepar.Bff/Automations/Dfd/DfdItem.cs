namespace Agepar.Bff.Automations.Dfd;

/// <summary>One DFD item line.</summary>
internal sealed record DfdItem(string Descricao, string Unidade, decimal Quantidade, decimal ValorUnitario, decimal ValorTotal);
