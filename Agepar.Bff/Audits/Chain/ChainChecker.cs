using Agepar.Data.Audits;

namespace Agepar.Bff.Audits.Chain;

/// <summary>
/// The rules of the chain verification, without I/O (so each rule has a unit test). Feed it the seals in chain order
/// (<see cref="AddSeal"/>), then the rows that have no seal (<see cref="AddUnsealed"/>), then <see cref="Finish"/>.
/// <paramref name="imports"/> are the id ranges of <c>audit_imports</c>: history the importer wrote after the chain
/// started, old by nature, so the back-dating rule does not apply to them (they are counted as imported instead);
/// every other rule does, and a range that holds more rows than the import wrote (a row slipped into a gap of the
/// range with an explicit id) is a break.
/// </summary>
internal sealed class ChainChecker(
    TimeSpan maxSealLag, long chainStartMaxId, IReadOnlyList<PartitionDrop> drops, int maxBreaks, IReadOnlyList<ImportedRange>? imports = null)
{
    private readonly List<AuditChainBreak> _breaks = [];
    private readonly Dictionary<PartitionDrop, long> _missingInDrop = [];
    private long _breakCount;
    private long _checked;
    private long _lastSeq;
    private long _imported;
    private readonly Dictionary<ImportedRange, long> _seenInImport = [];

    public void AddSeal(SealEntry seal)
    {
        if (seal.Seq == _lastSeq)
        {
            // The verifier joins seals to rows by id: a second row with the same id repeats the seal.
            Break(seal.AuditId, seal.OccurredAt, "a second audit row carries this id (inserted with an explicit id)");
            return;
        }

        _lastSeq = seal.Seq;
        _checked++;
        CountInImport(seal.AuditId);
        byte[]? previous = seal.Seq == 1 ? AuditChainEncoding.Genesis() : seal.PreviousLink;
        if (previous is null)
        {
            Break(seal.AuditId, seal.OccurredAt, $"seal {seal.Seq - 1} is missing (a seal was deleted)");
        }

        if (seal.Fields is null)
        {
            var drop = drops.FirstOrDefault(d => d.Covers(seal.OccurredAt));
            if (drop is null)
            {
                Break(seal.AuditId, seal.OccurredAt, "row missing: deleted, or its partition dropped without a record in audit_partition_drops");
                return;
            }

            _missingInDrop[drop] = _missingInDrop.GetValueOrDefault(drop) + 1;
            if (drop.LastSeq == seal.Seq && drop.LastLink is { } recorded && !recorded.AsSpan().SequenceEqual(seal.Link))
            {
                Break(seal.AuditId, seal.OccurredAt, $"the last link recorded for dropped partition {drop.PartitionName} differs from the seal");
            }

            return;
        }

        if (previous is not null)
        {
            var expected = AuditChainEncoding.Link(previous, seal.Fields, seal.SealedAt.UtcDateTime);
            if (!expected.AsSpan().SequenceEqual(seal.Link))
            {
                Break(seal.AuditId, seal.OccurredAt, "content changed: the row (or the seal) no longer matches its link");
                return;
            }
        }

        if (seal.AuditId > chainStartMaxId && seal.OccurredAt < seal.SealedAt - maxSealLag)
        {
            if (IsImported(seal.AuditId))
            {
                _imported++;
                return;
            }

            Break(seal.AuditId, seal.OccurredAt,
                $"back-dated: occurred_at is {Describe(seal.SealedAt - seal.OccurredAt)} before the row was sealed (AuditChain:MaxSealLag {maxSealLag})");
        }
    }

    /// <summary>A row without a seal whose <c>occurred_at</c> is older than MaxSealLag (the verifier selects only those), or any unsealed row at or below the chain's start.</summary>
    public void AddUnsealed(long id, DateTimeOffset occurredAt, long maxSealedAuditId)
    {
        if (id > chainStartMaxId && IsImported(id))
        {
            CountInImport(id);
            // Imported history the sealer has not reached yet; once it has passed the id, a missing seal is a break.
            if (id <= maxSealedAuditId)
            {
                Break(id, occurredAt, "not sealed although the sealer already passed its id: inserted later with an id of a recorded import");
            }
            else
            {
                _imported++;
            }
        }
        else if (id > chainStartMaxId)
        {
            Break(id, occurredAt, $"back-dated: not sealed although its occurred_at is older than AuditChain:MaxSealLag ({maxSealLag}); inserted with a past time, or the sealer is not running");
        }
        else if (id <= maxSealedAuditId)
        {
            Break(id, occurredAt, "not sealed although the sealer already passed its id: inserted later with an id from before the chain started");
        }
    }

    /// <summary>Checks the recorded drops the scope fully covers: as many rows are missing in each range as were sealed in it when it was dropped.</summary>
    public AuditChainVerification Finish(DateTimeOffset? since, DateTimeOffset? until)
    {
        foreach (var range in drops.GroupBy(d => (d.RangeFrom, d.RangeTo)))
        {
            var (from, to) = range.Key;
            if ((since is { } s && s > from) || (until is { } u && u < to))
            {
                continue;
            }

            var recorded = range.Sum(d => d.SealedCount);
            var missing = range.Sum(d => _missingInDrop.GetValueOrDefault(d));
            if (missing != recorded)
            {
                Break(null, from, $"dropped partition {range.First().PartitionName}: {recorded} sealed row(s) recorded at the drop, {missing} missing now");
            }
        }

        // Only a full walk sees every row of a range (unsealed rows are read up to a limit: a count can only fall short).
        if (since is null && until is null)
        {
            foreach (var (range, seen) in _seenInImport.Where(r => r.Value > r.Key.RowCount))
            {
                Break(null, null, $"audit ids {range.FirstAuditId}–{range.LastAuditId} hold {seen} rows but the import recorded {range.RowCount}: a row was added into an imported range");
            }
        }

        return new AuditChainVerification(_breakCount == 0, _checked, _breaks, _imported);
    }

    private void CountInImport(long id)
    {
        if (imports is { Count: > 0 } && imports.FirstOrDefault(r => r.Contains(id)) is { } range)
        {
            _seenInImport[range] = _seenInImport.GetValueOrDefault(range) + 1;
        }
    }

    private bool IsImported(long id) => imports is { Count: > 0 } && imports.Any(r => r.Contains(id));

    private void Break(long? id, DateTimeOffset? occurredAt, string reason)
    {
        _breakCount++;
        if (_breaks.Count < maxBreaks)
        {
            _breaks.Add(new AuditChainBreak(id, occurredAt, reason));
        }
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 2 ? $"{(long)span.TotalDays} days" : span.TotalHours >= 2 ? $"{(long)span.TotalHours} hours" : $"{(long)span.TotalMinutes} minutes";
}
