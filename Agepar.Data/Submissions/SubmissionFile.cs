namespace Agepar.Data.Submissions;

/// <summary>A document generated for a submission, stored in the database (table <c>submission_files</c>).</summary>
/// <remarks>Project away <see cref="Content"/> when listing files: it holds the whole document.</remarks>
public sealed class SubmissionFile
{
    /// <summary>Primary key: EF assigns a UUIDv7 when the entity is added; the column default <c>gen_random_uuid()</c> covers SQL inserts.</summary>
    public Guid Id { get; set; }

    /// <summary>Owning submission (cascade delete).</summary>
    public Guid SubmissionId { get; set; }

    /// <summary>Download file name.</summary>
    public required string FileName { get; set; }

    /// <summary>MIME type.</summary>
    public required string ContentType { get; set; }

    /// <summary>Length of <see cref="Content"/> in bytes.</summary>
    public long SizeBytes { get; set; }

    /// <summary>SHA-256 (32 bytes) of <see cref="Content"/>.</summary>
    public required byte[] Sha256 { get; set; }

    /// <summary>The document bytes.</summary>
    public required byte[] Content { get; set; }

    /// <summary>Creation time (database default <c>now()</c>).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Navigation to the submission.</summary>
    public Submission? Submission { get; set; }
}
