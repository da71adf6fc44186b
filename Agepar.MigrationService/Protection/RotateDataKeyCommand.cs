using System.Buffers.Binary;
using System.Security.Cryptography;
using Agepar.Data.Connection;
using Agepar.Data.Protection;
using Npgsql;
using NpgsqlTypes;

namespace Agepar.MigrationService.Protection;

/// <summary>
/// <c>Agepar.MigrationService rotate-data-key [--batch-size N]</c> (docs/schema.md, "Key rotation"): re-encrypts every
/// CPF not under <c>PersonalData:EncryptionKey</c> (the new key) — decrypting with
/// <c>PersonalData:PreviousEncryptionKey</c> — in batches of one transaction each, online: rows are read by keyset on
/// id and written back only if unchanged meanwhile (compare-and-set on the old ciphertext), so concurrent sign-ins
/// and edits lose nothing and a restart resumes. The blind index, and therefore the audit chain, does not change. At
/// the end it checks that no ciphertext under another key is left and records the new key in <c>data_key_state</c>;
/// only then may the previous key be removed from the BFF's configuration.
/// </summary>
internal static class RotateDataKeyCommand
{
    private const string Usage =
        "usage: Agepar.MigrationService rotate-data-key [--batch-size <rows, default 1000>] [--settle-seconds <default 90>]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        // --settle-seconds: a BFF's session cache (Auth:Session:CacheTtl, 60 s) may still hold a user's old ciphertext
        // and copy it into a new audit or submission; after this wait a last pass catches those.
        var batchSize = 1000;
        var settle = TimeSpan.FromSeconds(90);
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length && int.TryParse(args[i + 1], out var parsed) ? parsed : -1;
            switch (args[i])
            {
                case "--batch-size" when value is > 0 and <= 100_000:
                    batchSize = value;
                    break;
                case "--settle-seconds" when value is >= 0 and <= 3600:
                    settle = TimeSpan.FromSeconds(value);
                    break;
                default:
                    await error.WriteLineAsync($"rotate-data-key FAILED: unexpected argument '{args[i]}'.{Environment.NewLine}{Usage}");
                    return ExitCodes.Failed;
            }
        }

        CpfProtector protector;
        string connectionString;
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            var databaseOptions = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
            connectionString = AgeparConnectionString.Build(builder.Configuration, ConnectionNames.Admin, databaseOptions, builder.Environment.IsProduction());
            protector = PersonalDataOptions.CreateProtector(builder.Configuration);
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"rotate-data-key FAILED: configuration error: {ex.Message}");
            return ExitCodes.Failed;
        }

        try
        {
            await using var dataSource = OwnerRoleSession.CreateDataSource(connectionString);
            await using (var connection = await dataSource.OpenConnectionAsync(ct))
            {
                await DataKeyState.CheckAsync(connection, protector, ct);
            }

            await output.WriteLineAsync(
                $"Rotating CPFs to key {CpfProtector.FormatKeyId(protector.CurrentKeyId)}" +
                (protector.PreviousKeyId is { } p ? $" from key {CpfProtector.FormatKeyId(p)}" : " (no previous key configured: only checks)") + "...");
            foreach (var round in new[] { "rotation", "after settling" })
            {
                if (round != "rotation" && settle > TimeSpan.Zero)
                {
                    await output.WriteLineAsync($"Waiting {settle.TotalSeconds:0} s for cached sessions to expire, then a last pass...");
                    await Task.Delay(settle, ct);
                }

                if (await RotateAllAsync(dataSource, protector, batchSize, output, error, ct) is { } failed)
                {
                    return failed;
                }
            }

            await using (var connection = await dataSource.OpenConnectionAsync(ct))
            {
                await DataKeyState.WriteAsync(connection, null, protector, ct);
            }

            await output.WriteLineAsync(
                $"Done: every CPF is under key {CpfProtector.FormatKeyId(protector.CurrentKeyId)} (recorded in data_key_state). " +
                "The previous key may now be removed (data-encryption-key-previous).");
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or CryptographicException)
        {
            await error.WriteLineAsync($"rotate-data-key FAILED: {ex.Message} (nothing half-done: each batch commits whole; run again to resume)");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Every table until nothing is left under another key; the exit code when that does not happen.</summary>
    private static async Task<int?> RotateAllAsync(
        NpgsqlDataSource dataSource, CpfProtector protector, int batchSize, TextWriter output, TextWriter error, CancellationToken ct)
    {
        foreach (var table in CpfTable.All)
        {
            // A row written under the old key by a BFF not yet reconfigured is caught by the next pass.
            for (var pass = 1; ; pass++)
            {
                var (scanned, rewritten) = await RotateTableAsync(dataSource, protector, table, batchSize, output, ct);
                await output.WriteLineAsync($"  {table.Name}: pass {pass}: {scanned} row(s) with a CPF, {rewritten} re-encrypted");
                var left = await CountNotCurrentAsync(dataSource, protector, table, ct);
                if (left == 0)
                {
                    break;
                }

                if (pass == 3)
                {
                    await error.WriteLineAsync(
                        $"rotate-data-key FAILED: {left} {table.Name} row(s) still not under the new key after {pass} passes: is a BFF still configured with the old key as data-encryption-key? Run again once every instance has the new key.");
                    return ExitCodes.Failed;
                }
            }
        }

        return null;
    }

    private static async Task<(long Scanned, long Rewritten)> RotateTableAsync(
        NpgsqlDataSource dataSource, CpfProtector protector, CpfTable t, int batchSize, TextWriter output, CancellationToken ct)
    {
        var select = $"""
            SELECT {t.IdColumn}, {t.CipherColumn}, {t.HmacColumn} FROM {t.Name}
             WHERE {t.IdColumn} > @last AND {t.CipherColumn} IS NOT NULL
             ORDER BY {t.IdColumn} LIMIT {batchSize}
            """;
        var update = $"""
            UPDATE {t.Name} AS t SET {t.CipherColumn} = u.new_cipher
              FROM unnest(@ids, @old, @new) AS u(id, old_cipher, new_cipher)
             WHERE t.{t.IdColumn} = u.id AND t.{t.CipherColumn} = u.old_cipher
            """;
        object last = t.IdType == "uuid" ? Guid.Empty : long.MinValue;
        long scanned = 0, rewritten = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            if (t.AppendOnly)
            {
                await CpfBackfill.MaintenanceAsync(connection, transaction, ct);
            }

            var ids = new List<object>();
            var olds = new List<byte[]>();
            var news = new List<byte[]>();
            var read = 0;
            await using (var command = new NpgsqlCommand(select, connection, transaction))
            {
                command.Parameters.AddWithValue("last", last);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    read++;
                    last = reader.GetValue(0);
                    var cipher = reader.GetFieldValue<byte[]>(1);
                    if (CpfProtector.KeyIdOf(cipher) != protector.CurrentKeyId)
                    {
                        ids.Add(last);
                        olds.Add(cipher);
                        news.Add(protector.Reencrypt(cipher, reader.GetFieldValue<byte[]>(2)));
                    }
                }
            }

            if (ids.Count > 0)
            {
                await using var command = new NpgsqlCommand(update, connection, transaction);
                command.Parameters.Add(t.IdType == "uuid"
                    ? new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.Cast<Guid>().ToArray() }
                    : new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids.Cast<long>().ToArray() });
                command.Parameters.Add(new NpgsqlParameter("old", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = olds.ToArray() });
                command.Parameters.Add(new NpgsqlParameter("new", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = news.ToArray() });
                rewritten += await command.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
            scanned += read;
            if (read < batchSize)
            {
                return (scanned, rewritten);
            }

            await output.WriteLineAsync($"  {t.Name}: {scanned} scanned, {rewritten} re-encrypted...");
        }
    }

    private static async Task<long> CountNotCurrentAsync(NpgsqlDataSource dataSource, CpfProtector protector, CpfTable t, CancellationToken ct)
    {
        var keyId = new byte[CpfProtector.KeyIdSize];
        BinaryPrimitives.WriteInt32BigEndian(keyId, protector.CurrentKeyId);
        await using var command = dataSource.CreateCommand(
            $"SELECT count(*) FROM {t.Name} WHERE {t.CipherColumn} IS NOT NULL AND substring({t.CipherColumn} FROM 2 FOR {CpfProtector.KeyIdSize}) <> @key_id");
        command.Parameters.AddWithValue("key_id", keyId);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
