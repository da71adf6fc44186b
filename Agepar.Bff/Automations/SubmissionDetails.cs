using System.Text.Json;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Microsoft.EntityFrameworkCore;

namespace Agepar.Bff.Automations;

/// <summary>One submission in full: payload, queue state, result, error and files.</summary>
internal sealed record SubmissionDetails(
    Guid Id,
    string Kind,
    string KindVersion,
    string Status,
    ActorInfo Actor,
    JsonElement Payload,
    JsonElement? Result,
    string? Error,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset RunAfter,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<SubmissionFileInfo> Files)
{
    /// <summary>Loads a submission (file contents are not read), or null.</summary>
    public static async Task<SubmissionDetails?> LoadAsync(AgeparDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.Submissions.AsNoTracking()
            .Where(s => s.Id == id)
            .Select(s => new
            {
                s.Id,
                s.Kind,
                s.KindVersion,
                s.Status,
                s.ActorUserId,
                s.ActorName,
                s.ActorEmail,
                s.Payload,
                s.Result,
                s.Error,
                s.Attempts,
                s.MaxAttempts,
                s.RunAfter,
                s.CreatedAt,
                s.StartedAt,
                s.FinishedAt,
                Files = s.Files.OrderBy(f => f.CreatedAt).Select(f => new { f.Id, f.FileName, f.ContentType, f.SizeBytes, f.Sha256 }).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var details = new SubmissionDetails(
            row.Id, row.Kind, row.KindVersion, row.Status, new ActorInfo(row.ActorUserId, row.ActorName, row.ActorEmail),
            row.Payload.RootElement.Clone(), row.Result?.RootElement.Clone(), row.Error, row.Attempts, row.MaxAttempts,
            row.RunAfter, row.CreatedAt, row.StartedAt, row.FinishedAt,
            [.. row.Files.Select(f => new SubmissionFileInfo(f.Id, f.FileName, f.ContentType, f.SizeBytes, Convert.ToHexStringLower(f.Sha256)))]);
        row.Payload.Dispose();
        row.Result?.Dispose();
        return details;
    }
}
