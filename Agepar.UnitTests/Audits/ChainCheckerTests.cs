using Agepar.Bff.Audits.Chain;
using Agepar.Data.Audits;

namespace Agepar.Tests.Audits;

/// <summary>The verification rules of the audit chain, without a database (the integration tests tamper for real).</summary>
public sealed class ChainCheckerTests
{
    private static readonly TimeSpan Lag = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_untouched_chain_is_intact()
    {
        var result = Check(Chain(3));

        Assert.True(result.Intact);
        Assert.Equal(3, result.Checked);
        Assert.Empty(result.Breaks);
    }

    [Fact]
    public void A_changed_field_breaks_at_that_row_only()
    {
        var seals = Chain(3);
        seals[1] = seals[1] with { Fields = Fields(seals[1].AuditId, seals[1].OccurredAt, outcome: "failure") };

        var result = Check(seals);

        var broken = Assert.Single(result.Breaks);
        Assert.Equal(seals[1].AuditId, broken.Id);
        Assert.Contains("content changed", broken.Reason);
    }

    [Fact]
    public void A_missing_row_is_a_break_unless_a_recorded_drop_covers_it()
    {
        var seals = Chain(3);
        seals[1] = seals[1] with { Fields = null };

        Assert.Contains("row missing", Assert.Single(Check(seals).Breaks).Reason);

        var drop = new PartitionDrop("audits_y2026m12", T0.AddDays(-1), T0.AddMonths(1), 1, 1, seals[1].Seq, seals[1].Link);
        Assert.True(Check(seals, drops: [drop]).Intact);

        var undercounted = drop with { SealedCount = 0 };
        Assert.Contains("sealed row(s) recorded", Assert.Single(Check(seals, drops: [undercounted]).Breaks).Reason);
    }

    [Fact]
    public void A_row_sealed_long_after_its_time_is_back_dated_unless_it_predates_the_chain()
    {
        var seals = Chain(2);
        var late = Seal(seals[^1], id: 99, occurredAt: T0.AddYears(-20), sealedAt: T0);
        seals.Add(late);

        var broken = Assert.Single(Check(seals).Breaks);
        Assert.Equal(99, broken.Id);
        Assert.Contains("back-dated", broken.Reason);

        // History that existed when the chain started is sealed late by design.
        Assert.True(Check(seals, chainStartMaxId: 99).Intact);
    }

    [Fact]
    public void Imported_history_is_counted_as_imported_and_a_back_dated_row_outside_the_recorded_range_is_still_a_break()
    {
        var seals = Chain(2);
        seals.Add(Seal(seals[^1], id: 50, occurredAt: T0.AddYears(-5), sealedAt: T0));
        seals.Add(Seal(seals[^1], id: 51, occurredAt: T0.AddYears(-4), sealedAt: T0));
        seals.Add(Seal(seals[^1], id: 52, occurredAt: T0.AddYears(-3), sealedAt: T0));
        ImportedRange[] imports = [new(50, 51, 2)];

        var checker = new ChainChecker(Lag, 0, [], 100, imports);
        seals.ForEach(checker.AddSeal);
        var result = checker.Finish(null, null);

        Assert.False(result.Intact);
        Assert.Equal(2, result.Imported);
        var backDated = Assert.Single(result.Breaks);
        Assert.Equal(52, backDated.Id);
        Assert.Contains("back-dated", backDated.Reason);

        // Unsealed rows of a recorded range: 53 not reached by the sealer yet (imported), 51 unsealed although the
        // sealer passed it (a second row slipped in with an imported id: a break).
        var wider = new ChainChecker(Lag, 0, [], 100, [new(50, 53, 4)]);
        seals.ForEach(wider.AddSeal);
        wider.AddUnsealed(53, T0.AddYears(-2), maxSealedAuditId: 52);
        wider.AddUnsealed(51, T0.AddYears(-2), maxSealedAuditId: 52);
        var second = wider.Finish(null, null);
        Assert.Equal(4, second.Imported);
        Assert.Equal(2, second.Breaks.Count);
        Assert.Contains(second.Breaks, b => b.Reason.Contains("recorded import"));
        Assert.Contains(second.Breaks, b => b.Reason.Contains("hold 5 rows but the import recorded 4"));

        // Content changes inside an imported range are still breaks.
        var changed = new List<SealEntry>(seals);
        changed[2] = changed[2] with { Fields = Fields(50, T0.AddYears(-5), outcome: "failure") };
        var tampered = new ChainChecker(Lag, 0, [], 100, [new(50, 52, 3)]);
        changed.ForEach(tampered.AddSeal);
        Assert.Contains("content changed", Assert.Single(tampered.Finish(null, null).Breaks).Reason);

        // A row planted with an explicit id into a gap of a recorded range: more rows than the import wrote.
        var gap = new ChainChecker(Lag, 0, [], 100, [new(50, 53, 2)]);
        seals.ForEach(gap.AddSeal);
        Assert.Contains("hold 3 rows but the import recorded 2", Assert.Single(gap.Finish(null, null).Breaks).Reason);
    }

    [Fact]
    public void A_deleted_seal_and_a_duplicated_id_are_breaks()
    {
        var seals = Chain(3);
        seals[2] = seals[2] with { PreviousLink = null };
        Assert.Contains("seal 2 is missing", Assert.Single(Check(seals).Breaks).Reason);

        var duplicated = Chain(2);
        duplicated.Add(duplicated[^1]);
        Assert.Contains("second audit row", Assert.Single(Check(duplicated).Breaks).Reason);
    }

    [Fact]
    public void Unsealed_old_rows_are_back_dated_and_the_encoding_tells_null_from_empty()
    {
        var checker = new ChainChecker(Lag, 10, [], 100);
        checker.AddUnsealed(11, T0.AddYears(-25), maxSealedAuditId: 10);
        checker.AddUnsealed(5, T0.AddYears(-1), maxSealedAuditId: 4); // history the sealer has not reached yet
        var result = checker.Finish(null, null);
        Assert.Equal(11, Assert.Single(result.Breaks).Id);

        var genesis = AuditChainEncoding.Genesis();
        Assert.NotEqual(AuditChainEncoding.Link(genesis, [null], T0.UtcDateTime), AuditChainEncoding.Link(genesis, [""], T0.UtcDateTime));
        Assert.NotEqual(AuditChainEncoding.Link(genesis, ["ab", "c"], T0.UtcDateTime), AuditChainEncoding.Link(genesis, ["a", "bc"], T0.UtcDateTime));
        Assert.Equal("2026-12-01T12:00:00.000000Z", AuditChainEncoding.FormatTimestamp(T0.UtcDateTime));
    }

    private static AuditChainVerification Check(List<SealEntry> seals, long chainStartMaxId = 0, IReadOnlyList<PartitionDrop>? drops = null)
    {
        var checker = new ChainChecker(Lag, chainStartMaxId, drops ?? [], 100);
        foreach (var seal in seals)
        {
            checker.AddSeal(seal);
        }

        return checker.Finish(null, null);
    }

    private static List<SealEntry> Chain(int count)
    {
        var seals = new List<SealEntry>();
        for (var i = 1; i <= count; i++)
        {
            seals.Add(seals.Count == 0
                ? First(i)
                : Seal(seals[^1], i, T0.AddSeconds(i), T0.AddSeconds(i + 1)));
        }

        return seals;
    }

    private static SealEntry First(long id)
    {
        var fields = Fields(id, T0);
        var sealedAt = T0.AddSeconds(1);
        return new SealEntry(1, id, T0, sealedAt, AuditChainEncoding.Link(AuditChainEncoding.Genesis(), fields, sealedAt.UtcDateTime), null, fields);
    }

    private static SealEntry Seal(SealEntry previous, long id, DateTimeOffset occurredAt, DateTimeOffset sealedAt)
    {
        var fields = Fields(id, occurredAt);
        return new SealEntry(previous.Seq + 1, id, occurredAt, sealedAt, AuditChainEncoding.Link(previous.Link, fields, sealedAt.UtcDateTime), previous.Link, fields);
    }

    private static string?[] Fields(long id, DateTimeOffset occurredAt, string outcome = "success") =>
        [id.ToString(System.Globalization.CultureInfo.InvariantCulture), AuditChainEncoding.FormatTimestamp(occurredAt.UtcDateTime), null, "Zé", null, null,
         "auth.login", null, "test", "x", outcome, "10.1.2.3/32", null, null, "{}"];
}
