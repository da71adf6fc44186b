using Agepar.Data;
using Agepar.Data.Protection;
using Microsoft.EntityFrameworkCore;

namespace Agepar.Bff.Control;

/// <summary>
/// The <c>actor</c> filter turned into something an index can use: a user id (given, or found by e-mail/CPF in
/// <c>users</c>; a CPF by its blind index), else the e-mail snapshot compared without case, or the CPF snapshot's blind
/// index (for actors no longer in <c>users</c>).
/// </summary>
internal sealed record ResolvedActor(Guid? UserId, string? Email, byte[]? CpfHmac = null)
{
    public static async Task<ResolvedActor?> ResolveAsync(AgeparDbContext db, CpfProtector protector, string? actor, CancellationToken cancellationToken)
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
        if (isCpf)
        {
            // By blind index (ux_users_cpf_hmac); a CPF no user has now may still be a snapshot in old rows.
            var hmac = protector.Hmac(digits);
            var byCpf = await db.Users.Where(u => u.CpfHmac == hmac).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
            return byCpf is not null ? new ResolvedActor(byCpf, null) : new ResolvedActor(null, null, hmac);
        }

        var userId = await db.Users.Where(u => u.Email == actor).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
        return userId is not null ? new ResolvedActor(userId, null) : new ResolvedActor(null, actor);
    }
}
