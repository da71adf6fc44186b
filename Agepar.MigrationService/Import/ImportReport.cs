namespace Agepar.MigrationService.Import;

/// <summary>What happened to the rows of one source table.</summary>
internal sealed class TableReport(string name)
{
    private const int MaxSamples = 20;

    public string Name { get; } = name;

    /// <summary>Rows read from the source.</summary>
    public long Found { get; set; }

    /// <summary>Rows written (or, in a dry run, that would be written).</summary>
    public long Imported { get; set; }

    /// <summary>Rows whose natural key is already in the target.</summary>
    public long Present { get; set; }

    /// <summary>Rows refused, each with a reason.</summary>
    public long Rejected { get; private set; }

    /// <summary>Imported or present rows with something worth a look (a dropped invalid CPF, files on disk...).</summary>
    public long Warnings { get; private set; }

    /// <summary>Rows of this table found in the target by the verification (null until verified).</summary>
    public long? InTarget { get; set; }

    public Dictionary<string, long> RejectReasons { get; } = [];

    public Dictionary<string, long> WarningReasons { get; } = [];

    public List<string> Samples { get; } = [];

    /// <summary>Rows neither in the target nor rejected: must be 0.</summary>
    public long Unaccounted => Found - (InTarget ?? 0) - Rejected;

    public void Reject(string key, string reason, string? detail = null)
    {
        Rejected++;
        RejectReasons[reason] = RejectReasons.GetValueOrDefault(reason) + 1;
        if (Samples.Count < MaxSamples)
        {
            Samples.Add($"rejected {key}: {reason}{(detail is null ? "" : $" ({detail})")}");
        }
    }

    public void Warn(string key, string reason, string? detail = null)
    {
        Warnings++;
        WarningReasons[reason] = WarningReasons.GetValueOrDefault(reason) + 1;
        if (Samples.Count < MaxSamples)
        {
            Samples.Add($"warning {key}: {reason}{(detail is null ? "" : $" ({detail})")}");
        }
    }
}

/// <summary>The run's report: one <see cref="TableReport"/> per source table, printed at the end.</summary>
internal sealed class ImportReport
{
    private readonly Dictionary<string, TableReport> _tables = [];

    public IEnumerable<TableReport> Tables => _tables.Values;

    public List<string> PartitionsCreated { get; } = [];

    /// <summary>Months whose imported audits went to <c>audits_default</c>, which already held rows of them.</summary>
    public List<string> PartitionsLeftInDefault { get; } = [];

    public long ReferencedFiles { get; set; }

    public string? FilesReportPath { get; set; }

    public TableReport Table(string name)
    {
        if (!_tables.TryGetValue(name, out var table))
        {
            _tables[name] = table = new TableReport(name);
        }

        return table;
    }

    public bool Verified => Tables.All(t => t.InTarget is not null && t.Unaccounted == 0);

    public void Print(TextWriter output, string source, bool dryRun, TimeSpan elapsed)
    {
        output.WriteLine();
        output.WriteLine($"Import report: source {source}{(dryRun ? " (DRY RUN: nothing was changed)" : "")}, {elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"{"table",-28} {"found",9} {(dryRun ? "to import" : "imported"),9} {"present",9} {"rejected",9} {"warnings",9} {"in target",9} {"unaccounted",11}");
        foreach (var t in Tables)
        {
            output.WriteLine($"{t.Name,-28} {t.Found,9} {t.Imported,9} {t.Present,9} {t.Rejected,9} {t.Warnings,9} {t.InTarget?.ToString() ?? "-",9} {t.Unaccounted,11}");
        }

        foreach (var t in Tables)
        {
            foreach (var (reason, count) in t.RejectReasons.OrderByDescending(r => r.Value))
            {
                output.WriteLine($"  {t.Name}: rejected {count} × {reason}");
            }

            foreach (var (reason, count) in t.WarningReasons.OrderByDescending(r => r.Value))
            {
                output.WriteLine($"  {t.Name}: warning {count} × {reason}");
            }

            foreach (var sample in t.Samples)
            {
                output.WriteLine($"    {t.Name} {sample}");
            }
        }

        if (PartitionsCreated.Count > 0)
        {
            output.WriteLine($"Audit partitions created: {string.Join(", ", PartitionsCreated)}");
        }

        if (PartitionsLeftInDefault.Count > 0)
        {
            output.WriteLine($"Months left in audits_default (it already held rows of them): {string.Join(", ", PartitionsLeftInDefault)}");
        }

        if (ReferencedFiles > 0)
        {
            output.WriteLine($"Files referenced on disk by imported submissions (not copied into the database): {ReferencedFiles}, listed in {FilesReportPath}");
        }

        output.WriteLine(Verified
            ? "VERIFIED: every source row is in the target or rejected with a reason."
            : "NOT VERIFIED: some source rows are neither in the target nor rejected (see 'unaccounted').");
    }
}
