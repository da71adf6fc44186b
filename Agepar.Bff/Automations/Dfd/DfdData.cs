using System.Text.Json;

namespace Agepar.Bff.Automations.Dfd;

/// <summary>The normalized DFD payload, read back from <c>submissions.payload</c>.</summary>
internal sealed record DfdData(
    int Ano,
    string Diretoria,
    string Protocolo,
    string Assunto,
    string Justificativa,
    DateOnly? DataPretendida,
    string GrauPrioridade,
    IReadOnlyList<DfdItem> Itens,
    decimal ValorTotal)
{
    public static DfdData From(JsonElement payload)
    {
        try
        {
            return new DfdData(
                payload.GetProperty("ano").GetInt32(),
                payload.GetProperty("diretoria").GetString()!,
                payload.GetProperty("protocolo").GetString()!,
                payload.GetProperty("assunto").GetString()!,
                payload.GetProperty("justificativa").GetString()!,
                payload.GetProperty("dataPretendida").GetString() is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
                payload.GetProperty("grauPrioridade").GetString()!,
                [.. payload.GetProperty("itens").EnumerateArray().Select(i => new DfdItem(
                    i.GetProperty("descricao").GetString()!,
                    i.GetProperty("unidade").GetString()!,
                    i.GetProperty("quantidade").GetDecimal(),
                    i.GetProperty("valorUnitario").GetDecimal(),
                    i.GetProperty("valorTotal").GetDecimal()))],
                payload.GetProperty("valorTotal").GetDecimal());
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new AutomationException("The stored DFD payload is not in the expected format.", permanent: true, ex);
        }
    }
}

