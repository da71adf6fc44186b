using System.Diagnostics;
using Agepar.Data.Connection;
using Agepar.Data.Protection;
using Npgsql;

namespace Agepar.MigrationService.Import;

/// <summary>
/// <c>Agepar.MigrationService import --from &lt;source&gt; [--dry-run] [--source-label L] [--files-report PATH]</c>:
/// copies the current portal's users, roles, submissions and audit logs into this platform's database
/// (<c>ConnectionStrings:agepar-admin</c>, as <c>agepar_admin</c> acting as <c>agepar_owner</c> where provisioned). Everything happens in one transaction: a dry run
/// rolls it back, a failure leaves nothing behind. The report at the end is the verification (docs/import.md).
/// </summary>
internal static class ImportCommand
{
    // Serialises imports into one database (two at once would both see a row as missing).
    private const long ImportLockKey = 7243120901338;

    private const string Usage =
        "usage: Agepar.MigrationService import --from <postgres connection string | path to the old SQLite file> [--dry-run] " +
        "[--source-label <label>] [--files-report <path>]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            await error.WriteLineAsync($"Import FAILED: {problem}{Environment.NewLine}{Usage}");
            return ExitCodes.Failed;
        }

        string targetConnectionString;
        CpfProtector protector;
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            var databaseOptions = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
            var target = new NpgsqlConnectionStringBuilder(AgeparConnectionString.Build(
                builder.Configuration, ConnectionNames.Admin, databaseOptions, builder.Environment.IsProduction()))
            {
                // One long transaction with large COPYs: no per-command limit, no idle pool.
                CommandTimeout = 0,
                MinPoolSize = 0,
                MaxPoolSize = 2,
            };
            targetConnectionString = target.ConnectionString;
            protector = PersonalDataOptions.CreateProtector(builder.Configuration);
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"Import FAILED: configuration error: {ex.Message}");
            return ExitCodes.Failed;
        }

        var stopwatch = Stopwatch.StartNew();
        var report = new ImportReport();
        IOldPortalSource? source = null;
        try
        {
            source = OpenSource(options);
            report.FilesReportPath = Path.GetFullPath(options.FilesReport ?? $"import-files-{Sanitize(source.Label)}.tsv");
            await using var filesReport = new StreamWriter(report.FilesReportPath);
            await filesReport.WriteLineAsync("submission_id\told_id\tkind\tfield\tpath");

            await using var connection = new NpgsqlConnection(targetConnectionString);
            await connection.OpenAsync(ct);
            // As the schema owner where provisioned (it creates audit partitions and writes audit_imports), like migrations.
            await OwnerRoleSession.AssumeAsync(connection, null, ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var ctx = new ImportContext(connection, transaction, source, report, filesReport, protector);
            await using (var lockImports = ctx.Command($"SELECT pg_advisory_xact_lock({ImportLockKey})"))
            {
                await lockImports.ExecuteNonQueryAsync(ct);
            }

            await output.WriteLineAsync($"Importing from {source.Label}{(options.DryRun ? " (dry run)" : "")}...");
            await ctx.LoadTargetUsersAsync(ct);
            if (source.HasAuthTables)
            {
                await UserImporter.RunAsync(ctx, ct);
                await RoleImporter.RunAsync(ctx, ct);
            }

            await SubmissionImporter.RunAsync(ctx, ct);
            await AuditImporter.RunAsync(ctx, ct);

            // Verification: count in the target (inside the transaction, so a dry run verifies what it would write).
            if (source.HasAuthTables)
            {
                await UserImporter.VerifyAsync(ctx, ct);
                await RoleImporter.VerifyAsync(ctx, ct);
            }

            await SubmissionImporter.VerifyAsync(ctx, ct);
            await AuditImporter.VerifyAsync(ctx, ct);

            if (options.DryRun || !report.Verified)
            {
                await transaction.RollbackAsync(ct);
            }
            else
            {
                await transaction.CommitAsync(ct);
            }
        }
        catch (ImportRefusedException ex)
        {
            await error.WriteLineAsync($"Import REFUSED: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is NpgsqlException or Microsoft.Data.Sqlite.SqliteException or IOException or ArgumentException)
        {
            await error.WriteLineAsync($"Import FAILED, nothing was changed: {ex.GetBaseException().Message}");
            return ExitCodes.Failed;
        }
        finally
        {
            if (source is not null)
            {
                await source.DisposeAsync();
            }
        }

        report.Print(output, source.Label, options.DryRun, stopwatch.Elapsed);
        if (!report.Verified)
        {
            await output.WriteLineAsync("The transaction was rolled back: nothing was changed.");
            return ExitCodes.ImportNotVerified;
        }

        return ExitCodes.Success;
    }

    private static IOldPortalSource OpenSource(ImportOptions options)
    {
        var from = options.From;
        if (File.Exists(from) || from.EndsWith(".db", StringComparison.OrdinalIgnoreCase) || from.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase)
            || from.EndsWith(".sqlite3", StringComparison.OrdinalIgnoreCase))
        {
            return SqliteOldPortalSource.Open(from, options.SourceLabel);
        }

        var connectionString = DatabaseUrl.IsUrl(from) ? DatabaseUrl.ToConnectionString(from) : from;
        return PostgresOldPortalSource.Open(connectionString, options.SourceLabel);
    }

    private static bool TryParse(string[] args, out ImportOptions options, out string? problem)
    {
        options = new ImportOptions("", false, null, null);
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--from":
                    options = options with { From = Next() ?? "" };
                    break;
                case "--dry-run":
                    options = options with { DryRun = true };
                    break;
                case "--source-label":
                    options = options with { SourceLabel = Next() };
                    break;
                case "--files-report":
                    options = options with { FilesReport = Next() };
                    break;
                default:
                    problem = $"unknown argument '{args[i]}'";
                    return false;
            }
        }

        if (string.IsNullOrWhiteSpace(options.From))
        {
            problem = "--from is required";
            return false;
        }

        if (options.SourceLabel is { } label && string.IsNullOrWhiteSpace(label))
        {
            problem = "--source-label needs a value";
            return false;
        }

        return true;
    }

    private static string Sanitize(string label) => string.Concat(label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    private sealed record ImportOptions(string From, bool DryRun, string? SourceLabel, string? FilesReport);
}
