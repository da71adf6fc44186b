using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Agepar.Bff.Infrastructure;

/// <summary>
/// Keyset paging for EF Core listings, newest first: <c>ORDER BY at DESC, id DESC</c> and, after a cursor,
/// <c>WHERE (at, id) &lt; (@at, @id)</c> as one row comparison (EF.Functions.LessThan on a tuple), the same predicate
/// the control panel writes in SQL (<c>AuditQueries.After</c>, <c>SubmissionQueries.After</c>), so an index on
/// (at, id) serves both.
/// </summary>
internal static class KeysetPaging
{
    /// <summary>Orders newest first and starts after <paramref name="page"/>'s cursor; takes one row more than the page.</summary>
    public static IQueryable<T> NewestFirst<T>(
        this IQueryable<T> query, Expression<Func<T, DateTimeOffset>> at, Expression<Func<T, Guid>> id, PageRequest<Guid> page)
    {
        if (page.After is { } after)
        {
            query = query.Where(Before(at, id, after));
        }

        return query.OrderByDescending(at).ThenByDescending(id).Take(page.Limit + 1);
    }

    private static Expression<Func<T, bool>> Before<T>(Expression<Func<T, DateTimeOffset>> at, Expression<Func<T, Guid>> id, KeysetPosition<Guid> after)
    {
        // The cursor's values are read from a captured object, so EF sends them as parameters (one cached plan).
        Expression<Func<DateTimeOffset, Guid, bool>> template = (rowAt, rowId) =>
            EF.Functions.LessThan(ValueTuple.Create(rowAt, rowId), ValueTuple.Create(after.At, after.Id));
        var row = at.Parameters[0];
        var body = new Substitute(new Dictionary<ParameterExpression, Expression>
        {
            [template.Parameters[0]] = at.Body,
            [template.Parameters[1]] = new Substitute(new() { [id.Parameters[0]] = row }).Visit(id.Body),
        }).Visit(template.Body);
        return Expression.Lambda<Func<T, bool>>(body, row);
    }

    private sealed class Substitute(Dictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            map.TryGetValue(node, out var replacement) ? replacement : node;
    }
}
