using Agepar.Data;
using Agepar.Data.Protection;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Agepar.Bff.Auth;

/// <summary>
/// Fails the start (non-zero exit, the health check never goes green) when the CPF keys are missing or are not the
/// database's (<see cref="DataKeyState"/>): better than answering every sign-in by CPF with "not found" or writing
/// CPFs nobody can decrypt. Registered before every other hosted service that touches users.
/// </summary>
internal sealed partial class PersonalDataStartupCheck(IServiceScopeFactory scopes, CpfProtector protector, ILogger<PersonalDataStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AgeparDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var outcome = await DataKeyState.CheckAsync((NpgsqlConnection)db.Database.GetDbConnection(), protector, cancellationToken);
            if (outcome == DataKeyState.Outcome.Missing)
            {
                throw new InvalidOperationException("data_key_state is empty: run the migration service first (it records the CPF data key).");
            }
        }
        catch (InvalidOperationException ex)
        {
            LogWrongKey(ex.Message);
            throw;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        LogChecked(CpfProtector.FormatKeyId(protector.CurrentKeyId), protector.PreviousKeyId is { } p ? CpfProtector.FormatKeyId(p) : "none");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Critical, "CPF keys REFUSED at startup: {Reason}")]
    private partial void LogWrongKey(string reason);

    [LoggerMessage(LogLevel.Information, "CPF keys match the database (data key {KeyId}, previous {PreviousKeyId})")]
    private partial void LogChecked(string keyId, string previousKeyId);
}
