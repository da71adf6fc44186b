using System.Data;
using Agepar.Bff.Control;
using Agepar.Bff.Infrastructure;

namespace Agepar.Tests.Infrastructure;

/// <summary>Raw SQL rows are mapped by column name: order does not matter, a missing column is an error, not a default.</summary>
public sealed class SqlRowsTests
{
    [Fact]
    public void Columns_map_by_name_whatever_their_order()
    {
        var table = new DataTable();
        table.Columns.Add("actor_email", typeof(string));
        table.Columns.Add("actor_name", typeof(string));
        table.Columns.Add("id", typeof(long));
        table.Columns.Add("occurred_at", typeof(DateTime));
        table.Columns.Add("action", typeof(string));
        table.Columns.Add("outcome", typeof(string));
        table.Columns.Add("actor_user_id", typeof(Guid));
        foreach (var column in new[] { "kind", "object_type", "object_id", "ip", "user_agent", "trace_id", "metadata" })
        {
            table.Columns.Add(column, typeof(string));
        }

        table.Columns.Add("actor_cpf_hmac", typeof(byte[]));
        table.Columns.Add("actor_cpf_encrypted", typeof(byte[]));

        var at = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        table.Rows.Add("maria@agepar.pr.gov.br", "Maria", 42L, at, "auth.login", "success", DBNull.Value,
            null, null, null, "10.0.0.1", "curl", "abc", "{}", DBNull.Value, DBNull.Value);

        using var reader = table.CreateDataReader();
        var parse = SqlRows.Parser<AuditRow>(reader);
        Assert.True(reader.Read());
        var row = parse(reader);

        Assert.Equal(42L, row.Id);
        Assert.Equal("Maria", row.ActorName);
        Assert.Equal("maria@agepar.pr.gov.br", row.ActorEmail);
        Assert.Null(row.ActorUserId);
        Assert.Equal(new DateTimeOffset(at), row.At);
        Assert.Equal("10.0.0.1", row.Ip);
        Assert.Null(row.ActorCpfEncrypted);
        Assert.Null(row.ActorCpfHmac);
    }

    [Fact]
    public void A_property_without_its_column_is_an_error()
    {
        var table = new DataTable();
        table.Columns.Add("id", typeof(long));
        table.Columns.Add("actor_name", typeof(string));

        using var reader = table.CreateDataReader();
        var error = Assert.Throws<InvalidOperationException>(() => SqlRows.Parser<AuditRow>(reader));
        Assert.Contains("ActorEmail", error.Message, StringComparison.Ordinal);
    }
}
