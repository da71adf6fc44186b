namespace Agepar.Bff.Automations.Form2Json;

/// <summary>A validated form2json form; serialized (camelCase) it is the stored payload and the generated document.</summary>
internal sealed record Form2JsonInput(
    string Nome,
    string Email,
    string? Departamento,
    string Prioridade,
    DateOnly Data,
    bool AceitaTermos,
    IReadOnlyList<Form2JsonItem> Itens);

/// <summary>One form2json item.</summary>
internal sealed record Form2JsonItem(string Descricao, decimal Quantidade);
