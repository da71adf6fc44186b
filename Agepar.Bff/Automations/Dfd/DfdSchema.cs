using System.Text.Json;

namespace Agepar.Bff.Automations.Dfd;

/// <summary>JSON Schema of the DFD submit body (kept in step with <see cref="DfdAutomation.Validate"/>).</summary>
internal static class DfdSchema
{
    public static JsonElement Schema { get; } = JsonDocument.Parse("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "dfd",
          "description": "Documento de Formalização da Demanda. Números aceitam número JSON ou texto no formato brasileiro (\"1.234,56\", \"R$ 10,00\"); datas dd/MM/yyyy ou yyyy-MM-dd.",
          "type": "object",
          "additionalProperties": false,
          "required": ["ano", "diretoria", "protocolo", "assunto", "justificativa", "itens"],
          "properties": {
            "ano": { "type": ["integer", "string"], "minimum": 2000, "maximum": 2100, "description": "Ano do PCA" },
            "diretoria": { "type": "string", "minLength": 1, "maxLength": 120, "description": "Órgão/diretoria demandante" },
            "protocolo": { "type": "string", "pattern": "^[0-9A-Za-z][0-9A-Za-z./-]{2,39}$", "description": "Único entre os DFDs não cancelados (comparado em maiúsculas)" },
            "assunto": { "type": "string", "minLength": 1, "maxLength": 300 },
            "justificativa": { "type": "string", "minLength": 1, "maxLength": 4000 },
            "dataPretendida": { "type": ["string", "null"], "pattern": "^(\\d{2}/\\d{2}/\\d{4}|\\d{4}-\\d{2}-\\d{2})$" },
            "grauPrioridade": { "enum": ["baixa", "media", "alta", null], "default": "media", "description": "Sem diferenciar maiúsculas; ausente ou null: media" },
            "itens": {
              "type": "array",
              "minItems": 1,
              "maxItems": 200,
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["descricao", "quantidade", "valorUnitario"],
                "properties": {
                  "descricao": { "type": "string", "minLength": 1, "maxLength": 500 },
                  "unidade": { "type": ["string", "null"], "maxLength": 30, "default": "un" },
                  "quantidade": { "type": ["number", "string"], "description": "> 0, até 3 casas decimais" },
                  "valorUnitario": { "type": ["number", "string"], "description": ">= 0, até 2 casas decimais" }
                }
              }
            }
          }
        }
        """).RootElement.Clone();
}
