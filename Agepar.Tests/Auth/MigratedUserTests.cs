using System.Net;
using Agepar.Tests.Infrastructure;

namespace Agepar.Tests.Auth;

/// <summary>Users migrated from the current portal keep their argon2-cffi hashes and can sign in; weak ones are upgraded.</summary>
[Collection(AppCollection.Name)]
public sealed class MigratedUserTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task A_user_inserted_with_a_portal_hash_signs_in_and_the_hash_is_kept()
    {
        var email = AuthTestData.UniqueEmail("migrated");
        var id = await AuthTestData.InsertUserAsync(fixture, email, Argon2Vectors.Portal, cpf: TestCpf.New(), roles: "user");

        using var login = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), email, Argon2Vectors.PortalPassword);

        Assert.True(login.StatusCode == HttpStatusCode.OK, await AuthTestData.DescribeAsync(login));
        Assert.Equal(Argon2Vectors.Portal, await TestSql.ScalarAsync<string>(fixture,
            "SELECT password_hash FROM users WHERE id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_hash_with_outdated_parameters_is_rehashed_at_login()
    {
        var email = AuthTestData.UniqueEmail("rehash");
        var id = await AuthTestData.InsertUserAsync(fixture, email, Argon2Vectors.Reference, roles: "user");

        using var login = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), email, "password");

        Assert.True(login.StatusCode == HttpStatusCode.OK, await AuthTestData.DescribeAsync(login));
        var stored = await TestSql.ScalarAsync<string>(fixture, "SELECT password_hash FROM users WHERE id = @id", ("id", id));
        Assert.StartsWith("$argon2id$v=19$m=65536,t=3,p=4$", stored);
        using var again = await AuthTestData.LoginAsync(ApiSession.AnonymousClient(fixture), email, "password");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await TestSql.ScalarAsync<long>(fixture,
            "SELECT count(*) FROM audits WHERE action = 'auth.login' AND actor_user_id = @id AND metadata->>'rehashed' = 'true'", ("id", id)));
    }
}
