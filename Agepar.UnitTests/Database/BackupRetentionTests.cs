using Agepar.BackupTool;

namespace Agepar.Tests.Database;

/// <summary>
/// Which blobs the container retention deletes (agepar-blob prune): older than the retention by the time in the name,
/// never the newest backup, never a blob without a backup stamp.
/// </summary>
public sealed class BackupRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Backups_older_than_the_retention_are_expired_and_recent_ones_kept()
    {
        string[] names =
        [
            "agepar-20261001T020000Z.dump.tar.gpg",
            "agepar-20261105T020000Z.dump.tar.gpg",
            "agepar-20261106T130000Z.dump.tar.gpg",
            "agepar-20261206T020000Z.dump.tar.gpg",
        ];

        Assert.Equal(["agepar-20261001T020000Z.dump.tar.gpg", "agepar-20261105T020000Z.dump.tar.gpg"], Retention.Expired(names, Now, 30));
    }

    [Fact]
    public void The_newest_backup_is_kept_even_when_every_backup_is_past_the_retention()
    {
        string[] names = ["agepar-20200101T000000Z.dump.tar.gpg", "agepar-20210101T000000Z.dump.tar.gpg"];

        Assert.Equal(["agepar-20200101T000000Z.dump.tar.gpg"], Retention.Expired(names, Now, 1));
        Assert.Empty(Retention.Expired(["agepar-20200101T000000Z.dump.tar.gpg"], Now, 1));
    }

    [Fact]
    public void Blobs_without_a_backup_stamp_are_never_touched()
    {
        string[] names = ["agepar-notes.txt", "agepar-2020.dump.tar.gpg", "other-20200101T000000Z.dump.tar.gpg", "agepar-20261206T020000Z.dump.tar.gpg"];

        Assert.Empty(Retention.Expired(names, Now, 1));
        Assert.Null(Retention.BackupTime("agepar-20201341T000000Z.dump.tar.gpg"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("30d")]
    [InlineData("")]
    public void A_retention_that_is_not_a_whole_number_of_days_is_refused(string days) =>
        Assert.Throws<ArgumentException>(() => Retention.ParseDays(days));
}
