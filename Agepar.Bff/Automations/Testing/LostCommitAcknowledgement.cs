using System.Data.Common;
using Agepar.Data.Submissions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Agepar.Bff.Automations.Testing;

/// <summary>
/// Test-only fault (registered only in Development with <c>Automations:EnableTestAutomations=true</c>): on a request
/// carrying <see cref="HeaderName"/>, the first commit that inserts a submission succeeds in the database, then
/// reports a dropped connection — exactly what a client sees when the commit's acknowledgement is lost. It lets the
/// tests prove that the retry after such a commit neither fails nor inserts twice.
/// </summary>
internal sealed class LostCommitAcknowledgement(IHttpContextAccessor http) : DbTransactionInterceptor
{
    public const string HeaderName = "X-Test-Lose-Commit-Ack";

    private static readonly object FiredKey = new();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (http.HttpContext is { } context
            && context.Request.Headers.ContainsKey(HeaderName)
            && eventData.Context?.ChangeTracker.Entries<Submission>().Any(e => e.State == EntityState.Added) == true
            && context.Items.TryAdd(FiredKey, true))
        {
            throw new NpgsqlException("Simulated loss of the commit acknowledgement (test fault).", new IOException("Connection reset after COMMIT."));
        }

        return Task.CompletedTask;
    }
}
