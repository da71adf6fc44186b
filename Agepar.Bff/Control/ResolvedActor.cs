using Agepar.Data;
using Microsoft.EntityFrameworkCore;

namespace Agepar.Bff.Control;

/// <summary>
/// The <c>actor</c> filter turned into something an index can use: a user id (given, or found by e-mail/CPF in
/// <c>users</c>), else the e-mail snapshot compared without case (for actors no longer in <c>users</c>).
/// </summary>
internal sealed record ResolvedActor(Guid? UserId, string? Email)
{
    public static async Task<ResolvedActor?> ResolveAsync(AgeparDbContext db, string? actor, CancellationToken cancellationToken)
    {
        if (actor is null)
        {
            return null;
        }

        if (Guid.TryParse(actor, out var id))
        {
            return new ResolvedActor(id, null);
        }

        var digits = new string([.. actor.Where(char.IsAsciiDigit)]);
        var isCpf = digits.Length == 11 && actor.All(c => char.IsAsciiDigit(c) || c is '.' or '-');
        var userId = isCpf
            ? await db.Users.Where(u => u.Cpf == digits).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken)
            : await db.Users.Where(u => u.Email == actor).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
        return userId is not null ? new ResolvedActor(userId, null) : new ResolvedActor(null, actor);
    }
}
