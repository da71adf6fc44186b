using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace Agepar.Bff.Control;

/// <summary>
/// A WHERE clause assembled from fixed SQL fragments and numbered parameters: user input only ever travels as a
/// parameter value, never as SQL text. The same instance can feed several commands (page, count, estimate, export).
/// </summary>
internal sealed partial class SqlWhere
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

    /// <summary>
    /// <paramref name="sql"/> (built around this clause) with every placeholder replaced by its value as a literal
    /// (<see cref="SqlLiteral"/>), for <c>COPY</c>, which takes no parameters. Run it only under
    /// <c>standard_conforming_strings = on</c>. One pass over the statement: a value that happens to contain
    /// <c>@p1</c> is never substituted again.
    /// </summary>
    public string Inline(string sql) => Placeholder().Replace(sql, match =>
    {
        var (_, value, type) = _parameters[int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture)];
        return SqlLiteral.Of(value, type);
    });

    [GeneratedRegex(@"@p(\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
