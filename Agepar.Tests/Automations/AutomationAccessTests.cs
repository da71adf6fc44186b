using System.Net;
using Agepar.Tests.Infrastructure;
using static Agepar.Tests.Automations.AutomationTestData;

namespace Agepar.Tests.Automations;

/// <summary>Roles per automation, ownership of submissions, and the admin bypass.</summary>
[Collection(AppCollection.Name)]
public sealed class AutomationAccessTests(AgeparAppFixture fixture)
{
    [Fact]
    public async Task Another_users_submission_is_404_everywhere_but_the_admin_sees_it()
    {
        using var owner = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        using var other = await ApiSession.CreateUserAsync(fixture, "automations.form2json");
        var id = await InsertSubmissionAsync(fixture, owner.UserId, "queued", runAfterSql: "now() + interval '1 hour'");

        using var get = await other.Client.GetAsync($"/api/automations/form2json/submissions/{id}");
        using var download = await other.Client.GetAsync($"/api/automations/form2json/submissions/{id}/download");
        using var cancel = await other.Client.PostAsync($"/api/automations/form2json/submissions/{id}/cancel", null);
        var list = await JsonAsync(await other.Client.GetAsync("/api/automations/form2json/submissions"));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.Equal("queued", await ScalarAsync<string>(fixture, "SELECT status FROM submissions WHERE id = @id", ("id", id)));

        using var ownerGet = await owner.Client.GetAsync($"/api/automations/form2json/submissions/{id}");
        Assert.Equal(HttpStatusCode.OK, ownerGet.StatusCode);
        using var admin = await ApiSession.AdminAsync(fixture);
        using var adminGet = await admin.Client.GetAsync($"/api/automations/form2json/submissions/{id}");
        Assert.Equal(HttpStatusCode.OK, adminGet.StatusCode);

        // Under another slug the same id does not exist.
        using var wrongSlug = await admin.Client.GetAsync($"/api/automations/dfd/submissions/{id}");
        Assert.Equal(HttpStatusCode.NotFound, wrongSlug.StatusCode);
    }

    [Fact]
    public async Task A_user_without_the_automations_role_gets_403_and_the_refusal_is_audited()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");

        using var submit = await SubmitAsync(user.Client, "dfd", DfdBody(NewProtocolo()));
        using var schema = await user.Client.GetAsync("/api/automations/dfd/schema");

        Assert.Equal(HttpStatusCode.Forbidden, submit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, schema.StatusCode);
        var problem = await JsonAsync(submit);
        Assert.Equal("forbidden", problem.GetProperty("code").GetString());
        Assert.Equal(0L, await ScalarAsync<long>(fixture, "SELECT count(*) FROM submissions WHERE actor_user_id = @u", ("u", user.UserId)));
        Assert.Equal(2L, await ScalarAsync<long>(fixture, """
            SELECT count(*) FROM audits
             WHERE actor_user_id = @u AND action = 'auth.access_denied' AND outcome = 'denied' AND kind = 'dfd'
            """, ("u", user.UserId)));
    }

    [Fact]
    public async Task Per_automation_audits_are_for_admins_only()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "compras");
        using var admin = await ApiSession.AdminAsync(fixture);
        await SubmitAcceptedAsync(user.Client, "dfd", DfdBody(NewProtocolo()));

        using var denied = await user.Client.GetAsync("/api/automations/dfd/audits");
        using var allowed = await admin.Client.GetAsync("/api/automations/dfd/audits?limit=5");

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var page = await JsonAsync(allowed);
        Assert.All(page.GetProperty("items").EnumerateArray(), a => Assert.Equal("dfd", a.GetProperty("kind").GetString()));
        Assert.True(page.GetProperty("total").GetInt64() >= 1);
    }

    [Fact]
    public async Task Unknown_automation_is_404_and_anonymous_is_401()
    {
        using var user = await ApiSession.CreateUserAsync(fixture, "user");
        using var anonymous = ApiSession.AnonymousClient(fixture);

        using var unknown = await user.Client.GetAsync("/api/automations/nope/schema");
        using var unknownSubmit = await SubmitAsync(user.Client, "nope", new { });
        using var noSession = await anonymous.GetAsync("/api/automations");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownSubmit.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noSession.StatusCode);
    }
}
