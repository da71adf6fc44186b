using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using Dapper;

namespace Agepar.Bff.Infrastructure;

/// <summary>
/// Named mapping of raw SQL rows (Dapper): a column <c>actor_email</c> fills the property <c>ActorEmail</c>, whatever
/// its position, so two columns of the same type can no longer swap silently when a SELECT list changes. Stricter than
/// Dapper alone: a row type's property that no column fills is an error (a renamed or forgotten column fails the first
/// query, instead of leaving a default value), checked once per result shape.
/// </summary>
internal static class SqlRows
{
    private static readonly ConcurrentDictionary<(Type, string), bool> Checked = new();

    static SqlRows()
    {
        // snake_case columns → PascalCase properties. Process-wide, set once here before any parser exists.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    /// <summary>A parser for the rows of <paramref name="reader"/> as <typeparamref name="T"/>; call it once per row.</summary>
    public static Func<DbDataReader, T> Parser<T>(DbDataReader reader)
    {
        var columns = new string[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = reader.GetName(i);
        }

        var shape = string.Join(',', columns);
        if (!Checked.ContainsKey((typeof(T), shape)))
        {
            var names = columns.Select(c => c.Replace("_", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var missing = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite && !names.Contains(p.Name))
                .Select(p => p.Name)
                .ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException(
                    $"{typeof(T).Name}: no column for {string.Join(", ", missing)} in ({shape}).");
            }

            Checked.TryAdd((typeof(T), shape), true);
        }

        return reader.GetRowParser<T>();
    }
}
