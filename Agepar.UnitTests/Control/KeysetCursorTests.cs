using Agepar.Bff.Infrastructure;

namespace Agepar.Tests.Control;

public sealed class KeysetCursorTests
{
    [Fact]
    public void Cursors_round_trip_with_microsecond_precision()
    {
        var at = new DateTimeOffset(2026, 11, 29, 19, 33, 40, TimeSpan.Zero).AddTicks(1234560);
        var guid = Guid.CreateVersion7();

        Assert.True(KeysetCursor.TryDecode(KeysetCursor.Encode(at, 987654321L), out var at1, out long id1));
        Assert.True(KeysetCursor.TryDecode(KeysetCursor.Encode(at, guid), out var at2, out Guid id2));

        Assert.Equal(at, at1);
        Assert.Equal(987654321L, id1);
        Assert.Equal(at, at2);
        Assert.Equal(guid, id2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("'; DROP TABLE audits; --")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("_____________________w")]
    public void Garbage_is_rejected(string cursor)
    {
        Assert.False(KeysetCursor.TryDecode(cursor, out _, out long _));
        Assert.False(KeysetCursor.TryDecode(cursor, out _, out Guid _));
    }

    [Fact]
    public void A_guid_cursor_is_not_accepted_where_a_long_cursor_is_expected() =>
        Assert.False(KeysetCursor.TryDecode(KeysetCursor.Encode(DateTimeOffset.UtcNow, Guid.NewGuid()), out _, out long _));

    [Fact]
    public void A_page_cuts_the_extra_row_and_points_its_cursor_at_the_last_row_kept()
    {
        var at = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var page = new PageRequest<long>(2, null).ToPage([3L, 2L, 1L], id => new KeysetPosition<long>(at, id), total: 3, totalIsEstimate: false);

        Assert.Equal([3L, 2L], page.Items);
        Assert.True(KeysetCursor.TryDecode(page.NextCursor, out KeysetPosition<long> next));
        Assert.Equal(new KeysetPosition<long>(at, 2L), next);
        Assert.Null(new PageRequest<long>(3, null).ToPage([3L, 2L, 1L], id => new KeysetPosition<long>(at, id)).NextCursor);
    }

    [Theory]
    [InlineData("50%", @"%50\%%")]
    [InlineData("a_b", @"%a\_b%")]
    [InlineData(@"c:\x", @"%c:\\x%")]
    public void Like_patterns_match_percent_underscore_and_backslash_literally(string text, string pattern) =>
        Assert.Equal(pattern, LikePattern.Contains(text));
}
