namespace Agepar.Bff.Audits.Chain;

/// <summary>One seal as the verifier reads it: the seal, the previous seal's link (null if that seal is missing) and the row's canonical fields (null if the row is missing).</summary>
internal sealed record SealEntry(long Seq, long AuditId, DateTimeOffset OccurredAt, DateTimeOffset SealedAt, byte[] Link, byte[]? PreviousLink, string?[]? Fields);
