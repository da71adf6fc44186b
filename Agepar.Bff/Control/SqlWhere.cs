using Npgsql;
using NpgsqlTypes;

namespace Agepar.Bff.Control;

/// <summary>
/// A WHERE clause assembled from fixed SQL fragments and numbered parameters: user input only ever travels as a
/// parameter value, never as SQL text. The same instance can feed several commands (page, count, estimate, export).
/// </summary>
internal sealed class SqlWhere
{
    private readonly List<string> _clauses = [];
    private readonly List<(string Name, object Value, NpgsqlDbType? Type)> _parameters = [];

    /// <summary>Registers a parameter and returns its placeholder (<c>@p0</c>, <c>@p1</c>, …).</summary>
    public string Param(object value, NpgsqlDbType? type = null)
    {
        var name = $"p{_parameters.Count}";
        _parameters.Add((name, value, type));
        return "@" + name;
    }

    /// <summary>Adds a condition (ANDed with the others).</summary>
    public void And(string condition) => _clauses.Add(condition);

    /// <summary><c>WHERE … AND …</c>, or empty when there are no conditions.</summary>
    public string Sql => _clauses.Count == 0 ? "" : "WHERE " + string.Join("\n   AND ", _clauses);

    /// <summary>Adds fresh parameter objects to <paramref name="command"/> (one parameter object cannot serve two commands).</summary>
    public void Bind(NpgsqlCommand command)
    {
        foreach (var (name, value, type) in _parameters)
        {
            command.Parameters.Add(type is { } t ? new NpgsqlParameter(name, t) { Value = value } : new NpgsqlParameter(name, value));
        }
    }
}
