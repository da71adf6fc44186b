using Agepar.Bff.Auth;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Agepar.Data.Audits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agepar.Bff.Audits.Chain;

/// <summary>Registration of the audit chain (sealer, checkpoints, scheduled verification, health check) and <c>POST /api/admin/audits/verify</c>.</summary>
public static class AuditChainApi
{
    public static IHostApplicationBuilder AddAgeparAuditChain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditChainOptions>().BindConfiguration(AuditChainOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AuditChainStatus>();
        builder.Services.AddSingleton<AuditChainMetrics>();
        builder.Services.AddSingleton<AuditSealer>();
        builder.Services.AddSingleton<AuditChainVerifier>();
        builder.Services.AddHealthChecks().AddCheck<AuditChainHealthCheck>("audit-chain", failureStatus: HealthStatus.Degraded);
        if (builder.Configuration.GetValue($"{AuditChainOptions.SectionName}:{nameof(AuditChainOptions.Enabled)}", true))
        {
            builder.Services.AddHostedService<AuditChainWorker>();
        }

        return builder;
    }

    public static RouteHandlerBuilder MapAuditChainApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/admin/audits/verify", VerifyAsync)
            .WithTags("Audits").WithName("VerifyAuditChain")
            .WithSummary("Recompute the audit hash chain and list every break (changed, deleted, back-dated rows; partitions dropped without a record).")
            .WithDescription("Optional query parameters since/until (ISO 8601) limit the check to rows whose occurred_at is in [since, until). " +
                             "Without them the whole chain is checked and the result also becomes the one /api/health and agepar.audit.chain.intact report. " +
                             "Admin or auditor; every call is audited (audit.chain_verified).")
            .RequireAuthorization(AuthPolicies.ReadAudits);

    private static async Task<Results<Ok<AuditChainVerification>, ValidationProblem>> VerifyAsync(
        string? since, string? until, AuditChainVerifier verifier, AgeparDbContext db, AuditWriter audits, CancellationToken ct)
    {
        // The listings' parser: any offset, far dates and garbage become a 400 naming the parameter, never a 500.
        var errors = new ValidationErrors();
        var from = FilterParsing.Instant("since", since, upperBound: false, errors);
        var to = FilterParsing.Instant("until", until, upperBound: true, errors);
        if (errors.IsEmpty && from is { } s && to is { } u && s >= u)
        {
            errors.Add("until", "until deve ser posterior a since.");
        }

        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var result = await verifier.VerifyAsync(from, to, ct);
        audits.Add(db, AuditActions.AuditChainVerified, result.Intact ? AuditOutcome.Success : AuditOutcome.Failure, objectType: "audit_chain",
            metadata: new { result.Intact, result.Checked, breaks = result.Breaks.Count, since = from, until = to, firstBreak = result.Breaks.FirstOrDefault() });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(result);
    }
}
