using System.Text.Json;

namespace Agepar.Bff.Automations.Form2Json;

/// <summary>JSON Schema of the form2json submit body (kept in step with <see cref="Form2JsonAutomation.Validate"/>).</summary>
internal static class Form2JsonSchema
{
    public static JsonElement Schema { get; } = JsonDocument.Parse("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "form2json",
          "type": "object",
          "additionalProperties": false,
          "required": ["nome", "email", "data", "aceitaTermos"],
          "properties": {
            "nome": { "type": "string", "minLength": 1, "maxLength": 200 },
            "email": { "type": "string", "format": "email", "maxLength": 254 },
            "departamento": { "type": ["string", "null"], "maxLength": 200 },
            "prioridade": { "enum": ["baixa", "media", "alta", null], "default": "media", "description": "Sem diferenciar maiúsculas; ausente ou null: media" },
            "data": { "type": "string", "description": "dd/MM/yyyy ou yyyy-MM-dd", "pattern": "^(\\d{2}/\\d{2}/\\d{4}|\\d{4}-\\d{2}-\\d{2})$" },
            "aceitaTermos": { "const": true },
            "itens": {
              "type": "array",
              "maxItems": 100,
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["descricao", "quantidade"],
                "properties": {
                  "descricao": { "type": "string", "minLength": 1, "maxLength": 500 },
                  "quantidade": {
                    "description": "Número JSON ou texto no formato brasileiro (\"1.234,5\"); 0 a 1.000.000.000, até 3 casas decimais.",
                    "type": ["number", "string"]
                  }
                }
              }
            }
          }
        }
        """).RootElement.Clone();
}
