using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Agepar.Bff.Infrastructure;
using Agepar.Bff.Users;

namespace Agepar.Tests.Api;

/// <summary>The shared parsers at the edges of their ranges: each bad value is an error naming it, never an exception.</summary>
public sealed class InputParsingTests
{
    [Fact]
    public void The_ends_of_the_date_range_are_accepted_and_until_the_last_day_means_no_upper_bound()
    {
        var errors = new ValidationErrors();

        Assert.Equal(DateTimeOffset.MaxValue, FilterParsing.Instant("until", "9999-12-31", upperBound: true, errors));
        Assert.Equal(DateTimeOffset.MinValue, FilterParsing.Instant("since", "0001-01-01", upperBound: false, errors));
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), FilterParsing.Instant("until", "2026-03-31", upperBound: true, errors));
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 9, 59, 59, TimeSpan.Zero),
            FilterParsing.Instant("until", "9999-12-31T23:59:59+14:00", upperBound: true, errors));
        Assert.Equal(new DateTimeOffset(1, 1, 1, 12, 0, 0, TimeSpan.Zero),
            FilterParsing.Instant("since", "0001-01-01T00:00:00-12:00", upperBound: false, errors));
        Assert.True(errors.IsEmpty);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59-12:00")]
    [InlineData("0001-01-01T00:00:00+14:00")]
    [InlineData("10000-01-01")]
    [InlineData("+294277-01-01")]
    [InlineData("-0001-01-01")]
    [InlineData("2026-02-30")]
    [InlineData("2026-03-01T25:00:00Z")]
    [InlineData("2026-03-01T12:00:00+15:00")]
    [InlineData("a\0b")]
    public void Dates_outside_the_range_or_malformed_are_an_error_naming_the_parameter(string value)
    {
        foreach (var upperBound in new[] { false, true })
        {
            var errors = new ValidationErrors();
            Assert.Null(FilterParsing.Instant("until", value, upperBound, errors));
            Assert.True(errors.ToDictionary().ContainsKey("until"));
        }
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("99999999999999999999")]
    [InlineData("1e3")]
    [InlineData(" 5")]
    [InlineData("+5")]
    [InlineData("٣")]
    public void Limits_that_are_not_small_positive_whole_numbers_are_an_error(string value)
    {
        var errors = new ValidationErrors();
        Assert.Equal(50, FilterParsing.Limit(value, 50, 500, errors));
        Assert.True(errors.ToDictionary().ContainsKey("limit"));
    }

    [Fact]
    public void User_cursors_use_the_keyset_codec_and_round_trip()
    {
        var position = new KeysetPosition<Guid>(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560), Guid.CreateVersion7());
        var errors = new ValidationErrors();
        var page = PageRequest.Parse<Guid>(KeysetCursor.Encode(position), "10", 50, 500, errors);
        Assert.True(errors.IsEmpty);
        Assert.Equal(position, page.After);
        Assert.Equal(10, page.Limit);
    }

    public static TheoryData<string> ForgedUserCursors()
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var guid = Guid.NewGuid().ToString("N");
        var keyset = new byte[25];
        keyset[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(keyset.AsSpan(1), long.MaxValue);
        var before = (byte[])keyset.Clone();
        BinaryPrimitives.WriteInt64BigEndian(before.AsSpan(1), long.MinValue);
        return new TheoryData<string>
        {
            // the former "ticks:guid" format, with ticks a DateTimeOffset cannot hold (this was a 500)
            B64(Encoding.UTF8.GetBytes($"9999999999999999999:{guid}")),
            B64(Encoding.UTF8.GetBytes($"-1:{guid}")),
            B64(Encoding.UTF8.GetBytes($"3155378976000000000:{guid}")),
            B64(keyset),
            B64(before),
            B64([0xff, 0xfe, 0x00]),
            "not a cursor",
            "a\0b",
            new string('A', 5000),
            "",
        };
    }

    [Theory]
    [MemberData(nameof(ForgedUserCursors))]
    public void Forged_user_cursors_are_refused_without_an_exception(string value)
    {
        var errors = new ValidationErrors();
        var page = PageRequest.Parse<Guid>(value, null, 50, 500, errors);
        Assert.Null(page.After);
        Assert.Equal([PageRequest.InvalidCursor], errors.ToDictionary()["cursor"]);
    }

    [Fact]
    public void Text_postgres_cannot_store_is_replaced_before_it_reaches_an_audit_row()
    {
        Assert.Equal("a\uFFFDb", StorableText.Clean("a\0b"));
        Assert.Equal("\uFFFDx\uFFFD", StorableText.Clean("\ud800x\udc00"));
        Assert.Equal("ok 😀 ‮", StorableText.Clean("ok 😀 ‮"));
        Assert.Null(StorableText.Clean(null));

        var json = JsonSerializer.Serialize(new { path = "/api/a\0b", agent = "\udfff", nested = new[] { "x\0" } }, StorableText.JsonOptions);
        Assert.DoesNotContain("\\u0000", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\uDFFF", json, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A fact, not a theory: xUnit would turn the lone surrogate into U+FFFD while serializing theory data.</summary>
    [Fact]
    public void User_names_with_control_characters_or_broken_unicode_are_refused()
    {
        foreach (var name in new[] { "Ana\0Maria", "Ana\u0007Maria", "Ana\ud800", "\udc00Ana" })
        {
            var errors = new Dictionary<string, string[]>();
            Assert.Null(UserValidation.NormalizeName(name, errors));
            Assert.True(errors.ContainsKey("name"), name);
        }

        Assert.Equal("Ana \u202EMaria 😀", UserValidation.NormalizeName(" Ana \u202EMaria 😀 ", []));

        var filterErrors = new ValidationErrors();
        Assert.Null(FilterParsing.Instant("since", "2026-03-01\ud800", upperBound: false, filterErrors));
        Assert.Null(FilterParsing.Text("q", "x\udc00", 100, filterErrors));
        Assert.True(filterErrors.ToDictionary().ContainsKey("since"));
        Assert.True(filterErrors.ToDictionary().ContainsKey("q"));
        Assert.False(KeysetCursor.TryDecode<Guid>("\ud800", out _));
    }
}
