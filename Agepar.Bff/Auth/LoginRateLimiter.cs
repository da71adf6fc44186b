using System.Data;
using System.Net;
using Agepar.Data;
using Agepar.Data.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Agepar.Bff.Auth;

/// <summary>
/// Durable login throttle over <c>login_attempts</c> (survives restarts, shared by every BFF instance). A guess is
/// <b>counted before its password is verified</b>: <see cref="BeginAsync"/> takes a per-account and a per-IP advisory
/// lock, counts the recent failures and records the attempt as a failure in one short transaction, so N parallel
/// guesses can never reach verification more often than the budget allows. A correct password then settles the row
/// as a success (<see cref="SettleAsync"/>), which stops it counting.
/// <para>
/// Budgets, in a sliding <see cref="LoginRateLimitOptions.Window"/> (policy and trade-offs in docs/auth.md):
/// per account and client IP; per account from any IP (not applied to an IP the account signed in from recently, so
/// a stranger cannot lock the owner out at their usual place); per client IP across accounts. The account is the
/// resolved user (e-mail and CPF count together) or, for an unknown identifier, the identifier typed — treated the
/// same way and at the same cost. Refused attempts (<c>rate_limited</c>) do not count, so a lock lifts a window after
/// the last real guess.
/// </para>
/// </summary>
public sealed class LoginRateLimiter(AgeparDbContext db, IOptions<LoginRateLimitOptions> options)
{
    // Statement 1: the locks (account first, then IP: every transaction takes them in that order, so none can wait
    // for another in a cycle). Statement 2 runs after them, so its snapshot sees every attempt committed before.
    private const string LockSql = """
        SELECT pg_advisory_xact_lock(hashtextextended(@account_key, 0)),
               CASE WHEN @ip_key IS NULL THEN NULL ELSE pg_advisory_xact_lock(hashtextextended(@ip_key, 0)) END
        """;

    private const string CountAndRecordSql = """
        WITH failures AS (
            SELECT at, ip, identifier = ANY(@identifiers) AS mine
            FROM login_attempts
            WHERE NOT success AND reason IN ('bad_credentials', 'not_found') AND at > now() - @window
              AND (identifier = ANY(@identifiers) OR ip = @ip)
        ), nth AS (
            SELECT
                (SELECT at FROM failures WHERE mine AND ip IS NOT DISTINCT FROM @ip ORDER BY at DESC OFFSET @per_account_ip - 1 LIMIT 1) AS account_ip,
                (SELECT at FROM failures WHERE mine ORDER BY at DESC OFFSET @per_account - 1 LIMIT 1) AS account,
                (SELECT at FROM failures WHERE ip = @ip ORDER BY at DESC OFFSET @per_ip - 1 LIMIT 1) AS by_ip,
                EXISTS (SELECT 1 FROM login_attempts
                        WHERE user_id = @user_id AND success AND ip = @ip AND at > now() - @known_device) AS known_device
        ), decision AS (
            SELECT GREATEST(account_ip, CASE WHEN known_device THEN NULL ELSE account END, by_ip) AS limited_since FROM nth
        ), recorded AS (
            INSERT INTO login_attempts (identifier, user_id, ip, user_agent, success, reason)
            SELECT @typed, @user_id, @ip, @user_agent, false,
                   CASE WHEN limited_since IS NULL THEN @reason ELSE 'rate_limited' END
            FROM decision
            RETURNING id
        )
        SELECT recorded.id, EXTRACT(EPOCH FROM decision.limited_since + @window - now())::float8
        FROM recorded, decision
        """;

    /// <summary>
    /// Counts this attempt against the budgets and records it: as <paramref name="failureReason"/> (it counts until
    /// settled) when it may proceed to password verification, or as <c>rate_limited</c> when a budget is spent.
    /// </summary>
    public async Task<LoginTicket> BeginAsync(LoginAccount account, IPAddress? ip, string? userAgent, string failureReason, CancellationToken ct)
    {
        var o = options.Value;
        // Off: the attempt is still recorded (it is the auth log), against budgets that can never be spent.
        var (perAccountIp, perAccount, perIp) = o.Enabled
            ? (o.MaxFailuresPerAccountAndIp, o.MaxFailuresPerAccount, o.MaxFailuresPerIp)
            : (int.MaxValue, int.MaxValue, int.MaxValue);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
            var connection = npgsqlTransaction.Connection!;

            await using (var lockCommand = new NpgsqlCommand(LockSql, connection, npgsqlTransaction))
            {
                lockCommand.Parameters.Add(new NpgsqlParameter("account_key", account.LockKey));
                lockCommand.Parameters.Add(new NpgsqlParameter("ip_key", NpgsqlDbType.Text) { Value = ip is null ? DBNull.Value : "login:ip:" + ip });
                await lockCommand.ExecuteNonQueryAsync(token);
            }

            long id;
            double? retryAfterSeconds;
            await using (var command = new NpgsqlCommand(CountAndRecordSql, connection, npgsqlTransaction))
            {
                command.Parameters.Add(new NpgsqlParameter("identifiers", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = account.Identifiers.ToArray() });
                command.Parameters.Add(new NpgsqlParameter("ip", NpgsqlDbType.Inet) { Value = (object?)ip ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter("window", NpgsqlDbType.Interval) { Value = o.Window });
                command.Parameters.Add(new NpgsqlParameter("known_device", NpgsqlDbType.Interval) { Value = o.KnownDeviceWindow });
                command.Parameters.Add(new NpgsqlParameter("per_account_ip", perAccountIp));
                command.Parameters.Add(new NpgsqlParameter("per_account", perAccount));
                command.Parameters.Add(new NpgsqlParameter("per_ip", perIp));
                command.Parameters.Add(new NpgsqlParameter("user_id", NpgsqlDbType.Uuid) { Value = (object?)account.UserId ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter("typed", account.Typed));
                command.Parameters.Add(new NpgsqlParameter("user_agent", NpgsqlDbType.Text) { Value = (object?)userAgent ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter("reason", failureReason));
                await using var reader = await command.ExecuteReaderAsync(token);
                await reader.ReadAsync(token);
                id = reader.GetInt64(0);
                retryAfterSeconds = reader.IsDBNull(1) ? null : reader.GetDouble(1);
            }

            await transaction.CommitAsync(token);
            // A budget spent a moment ago still refuses for at least a second: Retry-After is never 0.
            return new LoginTicket(id, retryAfterSeconds is { } s ? TimeSpan.FromSeconds(Math.Max(1, s)) : null);
        }, ct);
    }

    /// <summary>Records how a counted attempt ended: a success (it stops counting) or a status refusal.</summary>
    public Task SettleAsync(LoginTicket ticket, string reason, bool success, CancellationToken ct) =>
        db.LoginAttempts.Where(a => a.Id == ticket.AttemptId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.Reason, reason).SetProperty(a => a.Success, success), ct);

    /// <summary>Normalizes an address for counting (IPv4-mapped IPv6 → IPv4).</summary>
    public static IPAddress? ClientIp(HttpContext context) =>
        context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;
}

/// <summary>
/// Whom a sign-in attempt is against. For a known user, every identifier of the account (e-mail and CPF) counts
/// together and the lock is per user; for an unknown identifier, the identifier typed stands for the account.
/// </summary>
/// <param name="UserId">The resolved user, or null.</param>
/// <param name="Identifiers">The identifiers whose failures count for this account.</param>
/// <param name="Typed">What was typed, normalized (stored in <c>login_attempts.identifier</c>; a CPF as its blind index, <see cref="LoginIdentifier.Stored"/>).</param>
public sealed record LoginAccount(Guid? UserId, IReadOnlyList<string> Identifiers, string Typed)
{
    public static LoginAccount For(User? user, LoginIdentifier typed) => user is null
        ? new LoginAccount(null, [typed.Stored], typed.Stored)
        : new LoginAccount(user.Id, user.CpfHmac is { } hmac ? [user.Email, CpfDisclosure.HmacText(hmac)] : [user.Email], typed.Stored);

    /// <summary>Advisory-lock key: one per user, or per unknown identifier.</summary>
    public string LockKey => UserId is { } id ? "login:user:" + id : "login:identifier:" + Typed;
}

/// <summary>A counted attempt (<c>login_attempts.id</c>), refused when <see cref="RetryAfter"/> is set.</summary>
public readonly record struct LoginTicket(long AttemptId, TimeSpan? RetryAfter);
