using System.Reflection;
using System.Text.RegularExpressions;
using Agepar.Bff.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Agepar.Tests.Api;

/// <summary>The one list of problem codes: stable, unique, English snake_case, and documented in docs/api-errors.md.</summary>
public sealed partial class ApiProblemsTests
{
    private static readonly string[] Codes =
    [
        .. typeof(ApiProblems).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!),
    ];

    [Fact]
    public void Codes_are_unique_snake_case_and_documented()
    {
        var docs = File.ReadAllText(Path.Combine(Agepar.Tests.Infrastructure.RepoPaths.Root, "docs", "api-errors.md"));
        Assert.NotEmpty(Codes);
        Assert.Equal(Codes.Length, Codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Codes, code =>
        {
            Assert.Matches(SnakeCase(), code);
            Assert.Contains($"`{code}`", docs, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_validation_problem_carries_its_code_and_every_field()
    {
        var problem = ApiProblems.Validation(new Dictionary<string, string[]> { ["cursor"] = [PageRequest.InvalidCursor], ["limit"] = ["x"] });

        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        Assert.Equal(ApiProblems.InvalidRequest, problem.ProblemDetails.Extensions["code"]);
        Assert.Equal(["cursor", "limit"], problem.ProblemDetails.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_problem_keeps_its_extensions_beside_the_code()
    {
        var problem = ApiProblems.Conflict(ApiProblems.NotReady, "Ainda não.", extensions: new Dictionary<string, object?> { ["status"] = "queued" });

        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Equal("not_ready", problem.ProblemDetails.Extensions["code"]);
        Assert.Equal("queued", problem.ProblemDetails.Extensions["status"]);
    }

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex SnakeCase();
}
