using Agepar.Data;
using Agepar.Data.Audits;
using Agepar.Data.Submissions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Agepar.Bff.Automations.Endpoints;

/// <summary>
/// Writes an accepted submission and its <c>submission.created</c> audit in <b>one round trip</b>: an
/// <see cref="NpgsqlBatch"/> of the two INSERTs without an explicit transaction, which PostgreSQL runs as one implicit
/// transaction (one Sync: both rows commit together or neither does). The EF path it replaces took two round trips
/// (BEGIN + both INSERTs, then COMMIT) plus change tracking (bench/RESULTS.md, "Ratios"). Columns not written here take their database defaults,
/// exactly as with EF (status <c>queued</c>, attempts 0, <c>run_after</c>/<c>created_at</c> now, <c>occurred_at</c> now).
/// </summary>
internal static class SubmissionInsert
{
    private const string SubmissionSql = """
        INSERT INTO submissions (id, kind, kind_version, actor_user_id, actor_name, actor_email, actor_cpf_encrypted,
                                 actor_cpf_hmac, payload, status, max_attempts, idempotency_key, request_hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        """;

    private const string AuditSql = """
        INSERT INTO audits (action, outcome, actor_user_id, actor_name, actor_email, actor_cpf_encrypted, actor_cpf_hmac,
                            kind, object_type, object_id, ip, user_agent, trace_id, metadata)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
        """;

    /// <summary>
    /// Inserts both rows through the context's execution strategy. A commit whose acknowledgement is lost is retried
    /// only after <paramref name="db"/> says the submission (its id is chosen before the insert) is not there.
    /// Unique violations surface as <see cref="PostgresException"/> (23505), nothing written.
    /// </summary>
    public static Task ExecuteAsync(AgeparDbContext db, Submission submission, Audit audit, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(
            (db, submission, audit),
            static async (_, state, token) =>
            {
                await InsertAsync(state.db, state.submission, state.audit, token);
                return true;
            },
            static async (_, state, token) => new ExecutionResult<bool>(
                await state.db.Submissions.AsNoTracking().AnyAsync(s => s.Id == state.submission.Id, token), true),
            ct);

    private static async Task InsertAsync(AgeparDbContext db, Submission submission, Audit audit, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            batch.BatchCommands.Add(Command(SubmissionSql,
                Value(submission.Id, NpgsqlDbType.Uuid),
                Value(submission.Kind, NpgsqlDbType.Text),
                Value(submission.KindVersion, NpgsqlDbType.Text),
                Value(submission.ActorUserId, NpgsqlDbType.Uuid),
                Value(submission.ActorName, NpgsqlDbType.Text),
                Value(submission.ActorEmail, NpgsqlDbType.Text),
                Value(submission.ActorCpfEncrypted, NpgsqlDbType.Bytea),
                Value(submission.ActorCpfHmac, NpgsqlDbType.Bytea),
                Value(submission.Payload.RootElement.GetRawText(), NpgsqlDbType.Jsonb),
                Value(submission.Status, NpgsqlDbType.Text),
                Value(submission.MaxAttempts, NpgsqlDbType.Integer),
                Value(submission.IdempotencyKey, NpgsqlDbType.Text),
                Value(submission.RequestHash, NpgsqlDbType.Bytea)));
            batch.BatchCommands.Add(Command(AuditSql,
                Value(audit.Action, NpgsqlDbType.Text),
                Value(audit.Outcome, NpgsqlDbType.Text),
                Value(audit.ActorUserId, NpgsqlDbType.Uuid),
                Value(audit.ActorName, NpgsqlDbType.Text),
                Value(audit.ActorEmail, NpgsqlDbType.Text),
                Value(audit.ActorCpfEncrypted, NpgsqlDbType.Bytea),
                Value(audit.ActorCpfHmac, NpgsqlDbType.Bytea),
                Value(audit.Kind, NpgsqlDbType.Text),
                Value(audit.ObjectType, NpgsqlDbType.Text),
                Value(audit.ObjectId, NpgsqlDbType.Text),
                Value(audit.Ip, NpgsqlDbType.Inet),
                Value(audit.UserAgent, NpgsqlDbType.Text),
                Value(audit.TraceId, NpgsqlDbType.Text),
                Value(audit.Metadata.RootElement.GetRawText(), NpgsqlDbType.Jsonb)));
            await batch.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Value(object? value, NpgsqlDbType type) =>
        new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
