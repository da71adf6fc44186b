using Npgsql;

namespace Agepar.Data.Protection;

/// <summary>
/// The startup check of the CPF keys against <c>data_key_state</c> (one row: the data key id, a canary encrypted with
/// it, the canary's blind index). A wrong or missing key must fail at startup, not write CPFs nobody can read or make
/// every sign-in by CPF miss.
/// </summary>
public static class DataKeyState
{
    /// <summary>What the check found.</summary>
    public enum Outcome
    {
        /// <summary>The keys match the database.</summary>
        Ok,

        /// <summary>No state row yet (a new database, before the migration service wrote it).</summary>
        Missing,
    }

    /// <summary>
    /// Checks the configured keys; throws <see cref="InvalidOperationException"/> with the reason when they do not
    /// match the database. The state's key may be the current key or, during a rotation, the previous one.
    /// </summary>
    public static async Task<Outcome> CheckAsync(NpgsqlConnection connection, CpfProtector protector, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT key_id, canary, index_canary FROM data_key_state", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return Outcome.Missing;
        }

        var keyId = reader.GetInt32(0);
        var canary = reader.GetFieldValue<byte[]>(1);
        var indexCanary = reader.GetFieldValue<byte[]>(2);
        if (!indexCanary.AsSpan().SequenceEqual(protector.CanaryHmac()))
        {
            throw new InvalidOperationException(
                "data-index-key is not the key this database's CPF blind indexes were made with: sign-in by CPF, uniqueness and the actor filter would all miss. " +
                "Configure the database's data-index-key.");
        }

        if (keyId != protector.CurrentKeyId && keyId != protector.PreviousKeyId)
        {
            throw new InvalidOperationException(
                $"data-encryption-key (id {CpfProtector.FormatKeyId(protector.CurrentKeyId)}) is not this database's data key (id {CpfProtector.FormatKeyId(keyId)})" +
                (protector.PreviousKeyId is { } previous ? $", nor is data-encryption-key-previous (id {CpfProtector.FormatKeyId(previous)})" : "") +
                ". To change the key, keep the old one as data-encryption-key-previous and run rotate-data-key (docs/schema.md).");
        }

        if (!protector.IsCanary(canary, indexCanary))
        {
            throw new InvalidOperationException(
                $"The data-key canary of key {CpfProtector.FormatKeyId(keyId)} does not decrypt: the configured key has the right id but is not the right key, or data_key_state was altered.");
        }

        return Outcome.Ok;
    }

    /// <summary>Writes the state for the current key (first run, or the end of a rotation). Needs the owner's rights.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CpfProtector protector, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO data_key_state (key_id, canary, index_canary) VALUES (@key_id, @canary, @index_canary)
            ON CONFLICT (only_row) DO UPDATE SET key_id = excluded.key_id, canary = excluded.canary,
                index_canary = excluded.index_canary, updated_at = now()
            """, connection, transaction);
        command.Parameters.AddWithValue("key_id", protector.CurrentKeyId);
        command.Parameters.AddWithValue("canary", protector.CanaryCipher());
        command.Parameters.AddWithValue("index_canary", protector.CanaryHmac());
        await command.ExecuteNonQueryAsync(ct);
    }
}
