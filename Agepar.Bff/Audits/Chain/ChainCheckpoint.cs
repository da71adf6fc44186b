namespace Agepar.Bff.Audits.Chain;

/// <summary>The chain head at a time: the last seal's number and link (hex), when it was sealed, and when this was read.</summary>
public sealed record ChainCheckpoint(long Seq, string Head, DateTimeOffset? SealedAt, DateTimeOffset TakenAt);
