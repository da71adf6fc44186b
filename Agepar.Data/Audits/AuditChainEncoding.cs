using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Agepar.Data.Audits;

/// <summary>
/// The canonical encoding of the audit hash chain (docs/schema.md, "Audit chain"). Seal number n of
/// <c>audit_seals</c> stores <c>link(n) = SHA-256(link(n-1) ‖ field(f1) ‖ … ‖ field(f15) ‖ field(sealed_at))</c>, with
/// <c>link(0)</c> = 32 zero bytes. The 15 fields are the audit row as PostgreSQL renders it in
/// <see cref="CanonicalColumns"/>; <c>field(v)</c> is <c>0x00</c> for NULL, else <c>0x01</c>, the byte length of v's
/// UTF-8 as a big-endian uint32, then those bytes. The sealer and the verifier both use this class, and the text
/// rendering is the database's own, so both sides hash the very same bytes.
/// <para>
/// Encoding 2 (<see cref="Version"/>): the actor's CPF enters as its keyed blind index (<c>actor_cpf_hmac</c> in
/// lower-case hex), never the clear CPF — a CPF has about 10^9 values, so an unkeyed hash over otherwise visible
/// fields would give it away — and never the ciphertext, so a key rotation leaves every link valid. Encoding 1 hashed
/// the clear CPF; the migration service re-sealed every link under encoding 2 (table <c>audit_chain_reseals</c>).
/// </para>
/// </summary>
public static class AuditChainEncoding
{
    /// <summary>The encoding the sealer and the verifier use (recorded in <c>audit_chain_reseals</c> when it changes).</summary>
    public const int Version = 2;

    /// <summary>Bytes in one link.</summary>
    public const int LinkSize = 32;

    /// <summary>The select list (table alias <c>a</c> = <c>audits</c>) that renders a row as the chain's text fields, in chain order.</summary>
    public const string CanonicalColumns = """
        a.id::text AS c_id,
        to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS c_occurred_at,
        a.actor_user_id::text AS c_actor_user_id,
        a.actor_name AS c_actor_name,
        a.actor_email AS c_actor_email,
        encode(a.actor_cpf_hmac, 'hex') AS c_actor_cpf_hmac,
        a.action AS c_action,
        a.kind AS c_kind,
        a.object_type AS c_object_type,
        a.object_id AS c_object_id,
        a.outcome AS c_outcome,
        a.ip::text AS c_ip,
        a.user_agent AS c_user_agent,
        a.trace_id AS c_trace_id,
        a.metadata::text AS c_metadata
        """;

    /// <summary>Column names of <see cref="CanonicalColumns"/>, in chain order.</summary>
    public static IReadOnlyList<string> FieldColumns { get; } =
    [
        "c_id", "c_occurred_at", "c_actor_user_id", "c_actor_name", "c_actor_email", "c_actor_cpf_hmac", "c_action", "c_kind",
        "c_object_type", "c_object_id", "c_outcome", "c_ip", "c_user_agent", "c_trace_id", "c_metadata",
    ];

    /// <summary>The link before the first seal.</summary>
    public static byte[] Genesis() => new byte[LinkSize];

    /// <summary>The seal time as it enters the hash: UTC, microseconds, e.g. <c>2026-12-04T18:51:28.123456Z</c>.</summary>
    public static string FormatTimestamp(DateTime utc) =>
        utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads the 15 canonical fields of the current row (by column name).</summary>
    public static string?[] ReadFields(DbDataReader reader)
    {
        var fields = new string?[FieldColumns.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            var ordinal = reader.GetOrdinal(FieldColumns[i]);
            fields[i] = reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        }

        return fields;
    }

    /// <summary>The link of one seal: the previous link, the row's fields and the seal time.</summary>
    public static byte[] Link(ReadOnlySpan<byte> previous, IReadOnlyList<string?> fields, DateTime sealedAtUtc)
    {
        if (previous.Length != LinkSize)
        {
            throw new ArgumentException($"A link is {LinkSize} bytes.", nameof(previous));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(previous);
        foreach (var field in fields)
        {
            AppendField(hash, field);
        }

        AppendField(hash, FormatTimestamp(sealedAtUtc));
        return hash.GetHashAndReset();
    }

    private static void AppendField(IncrementalHash hash, string? value)
    {
        if (value is null)
        {
            hash.AppendData([0x00]);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> header = stackalloc byte[5];
        header[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)bytes.Length);
        hash.AppendData(header);
        hash.AppendData(bytes);
    }
}
