using System.Text.Json;
using Agepar.Bff.Automations;
using Agepar.Bff.Automations.Dfd;
using Agepar.Bff.Automations.Form2Json;
using Agepar.Bff.Automations.Validation;

namespace Agepar.Tests.Automations;

/// <summary>The automations' validation: every bad field is named, good input is normalized (no database needed).</summary>
public sealed class ValidationTests
{
    private static readonly Form2JsonAutomation Form2Json = new(TimeProvider.System);
    private static readonly DfdAutomation Dfd = new(TimeProvider.System);

    [Fact]
    public void Form2json_normalizes_a_valid_form()
    {
        var result = Validate(Form2Json, """
            { "nome": "  Maria da Silva ", "email": "Maria@Agepar.PR.gov.br", "departamento": "", "prioridade": "ALTA",
              "data": "05/03/2026", "aceitaTermos": true, "itens": [ { "descricao": "Cadeira", "quantidade": "1.234,5" } ] }
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(',', e.Value)}")));
        var payload = result.Payload!;
        Assert.Equal("Maria da Silva", payload["nome"]!.GetValue<string>());
        Assert.Equal("maria@agepar.pr.gov.br", payload["email"]!.GetValue<string>());
        Assert.Null(payload["departamento"]);
        Assert.Equal("alta", payload["prioridade"]!.GetValue<string>());
        Assert.Equal("2026-03-05", payload["data"]!.GetValue<string>());
        Assert.Equal(1234.5m, payload["itens"]![0]!["quantidade"]!.GetValue<decimal>());
    }

    [Fact]
    public void Form2json_names_every_bad_field()
    {
        var result = Validate(Form2Json, """
            { "nome": 42, "email": "not-an-email", "prioridade": "urgente", "data": "2026-02-30", "aceitaTermos": false,
              "itens": [ { "descricao": "", "quantidade": -1 }, "x" ], "extra": 1 }
            """);

        Assert.False(result.IsValid);
        Assert.Equal(
            ["aceitaTermos", "data", "email", "extra", "itens[0].descricao", "itens[0].quantidade", "itens[1]", "nome", "prioridade"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("[1, 2]", "$")]
    [InlineData("\"texto\"", "$")]
    [InlineData("""{ "nome": "a\u0000b", "email": "a@b.co", "data": "2026-01-01", "aceitaTermos": true }""", "nome")]
    [InlineData("""{ "nome": "a\u0007b", "email": "a@b.co", "data": "2026-01-01", "aceitaTermos": true }""", "nome")]
    [InlineData("""{ "nome": "a\ud800b", "email": "a@b.co", "data": "2026-01-01", "aceitaTermos": true }""", "nome")]
    [InlineData("""{ "nome": "a\nb", "email": "a@b.co", "data": "2026-01-01", "aceitaTermos": true }""", "nome")]
    [InlineData("""{ "nome": "a", "nome": "b", "email": "a@b.co", "data": "2026-01-01", "aceitaTermos": true }""", "nome")]
    [InlineData("""{ "nome": "a", "email": "x'; DROP TABLE submissions; --", "data": "2026-01-01", "aceitaTermos": true }""", "email")]
    [InlineData("""{ "nome": "a", "email": "a@b.co", "data": "2026-01-01", "aceitaTermos": "true" }""", "aceitaTermos")]
    [InlineData("""{ "nome": "a", "email": "a@b.co", "data": "2026-01-01", "aceitaTermos": true, "itens": [ { "descricao": "d", "quantidade": 1e400 } ] }""", "itens[0].quantidade")]
    public void Form2json_rejects_hostile_values(string json, string field)
    {
        var result = Validate(Form2Json, json);

        Assert.False(result.IsValid);
        Assert.Contains(field, result.Errors.Keys);
    }

    [Fact]
    public void Dfd_parses_brazilian_numbers_and_dates_and_computes_totals()
    {
        var result = Validate(Dfd, """
            { "ano": "2026", "diretoria": "DAF", "protocolo": " 24.123.456-7 ", "assunto": "Cadeiras",
              "justificativa": "Substituição.\nLinha 2", "dataPretendida": "01/06/2026",
              "itens": [ { "descricao": "Cadeira", "quantidade": "10", "valorUnitario": "R$ 1.234,56" },
                         { "descricao": "Mesa", "unidade": "pç", "quantidade": 2.5, "valorUnitario": 100 } ] }
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(',', e.Value)}")));
        var payload = result.Payload!;
        Assert.Equal("24.123.456-7", payload["protocolo"]!.GetValue<string>());
        Assert.Equal(2026, payload["ano"]!.GetValue<int>());
        Assert.Equal("2026-06-01", payload["dataPretendida"]!.GetValue<string>());
        Assert.Equal(12345.60m, payload["itens"]![0]!["valorTotal"]!.GetValue<decimal>());
        Assert.Equal("un", payload["itens"]![0]!["unidade"]!.GetValue<string>());
        Assert.Equal(12595.60m, payload["valorTotal"]!.GetValue<decimal>());
    }

    [Fact]
    public void Dfd_names_every_bad_field()
    {
        var result = Validate(Dfd, """
            { "ano": 1999, "diretoria": "", "protocolo": "a b", "assunto": "x", "justificativa": "j",
              "itens": [ { "descricao": "d", "quantidade": "1.23.4", "valorUnitario": "10,001" }, { "descricao": "e", "quantidade": 0, "valorUnitario": 1 } ] }
            """);

        Assert.False(result.IsValid);
        Assert.Equal(
            ["ano", "diretoria", "itens[0].quantidade", "itens[0].valorUnitario", "itens[1].quantidade", "protocolo"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dfd_requires_at_least_one_item()
    {
        var result = Validate(Dfd, """{ "ano": 2026, "diretoria": "DAF", "protocolo": "123", "assunto": "x", "justificativa": "j", "itens": [] }""");

        Assert.Contains("itens", result.Errors.Keys);
    }

    [Theory]
    [InlineData("1.234,56", 1234.56)]
    [InlineData("1234,56", 1234.56)]
    [InlineData("R$ 10,00", 10)]
    [InlineData("1.000.000", 1000000)]
    [InlineData("0,5", 0.5)]
    public void Brazilian_numbers_parse(string text, double expected)
    {
        Assert.True(BrazilianFormats.TryParseDecimal(text, out var value));
        Assert.Equal((decimal)expected, value);
    }

    [Theory]
    [InlineData("1234.56")]
    [InlineData("1.23")]
    [InlineData("1,2,3")]
    [InlineData("abc")]
    [InlineData("")]
    public void Ambiguous_or_foreign_numbers_are_rejected(string text) =>
        Assert.False(BrazilianFormats.TryParseDecimal(text, out _));

    [Fact]
    public void Brazilian_formatting_round_trips() =>
        Assert.Equal("R$ 1.234.567,80", BrazilianFormats.FormatMoney(1234567.8m));

    private static AutomationValidation Validate(IAutomation automation, string json)
    {
        using var document = JsonDocument.Parse(json);
        return automation.Validate(document.RootElement);
    }
}
