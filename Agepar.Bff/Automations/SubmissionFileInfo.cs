namespace Agepar.Bff.Automations;

/// <summary>A generated document's metadata (the bytes come from the download endpoint).</summary>
internal sealed record SubmissionFileInfo(Guid Id, string FileName, string ContentType, long SizeBytes, string Sha256);
