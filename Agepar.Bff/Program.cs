using Agepar.Bff.Audits.Chain;
using Agepar.Bff.Auth;
using Agepar.Bff.Automations;
using Agepar.Bff.Control;
using Agepar.Bff.Health;
using Agepar.Bff.Infrastructure;
using Agepar.Bff.Maintenance;
using Agepar.Bff.Monitoring;
using Agepar.Bff.Users;
using Agepar.Data;
using Agepar.Data.Connection;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAgeparDbContext(AgeparDbContext.ConnectionName, pooled: true);
builder.AddAgeparReadReplica();
// SocketManager.ThreadPool: StackExchange.Redis's default dedicated I/O threads spin (sched_yield) while idle, which
// on a 2-core host took ~40 % of the BFF's CPU under load (bench/RESULTS.md, "Ratios"); the .NET thread pool does not.
builder.AddRedisClient(
    "redis",
    settings => settings.DisableHealthChecks = true,
    options => options.SocketManager = StackExchange.Redis.SocketManager.ThreadPool);
builder.AddAgeparHealthChecks();
builder.AddAgeparApiPlumbing();
builder.AddAgeparAuth();
builder.AddAgeparAutomations();
builder.AddAgeparControlPanel();
builder.AddAgeparMaintenance();
builder.AddAgeparAuditChain();
builder.AddAgeparMonitoring();
builder.AddPrometheusEndpoint();

var app = builder.Build();

// Plumbing first: its exception handler and status-code pages wrap everything after it, so every error any later
// middleware answers without a body (the metrics token's 401 included) still becomes a ProblemDetails.
app.UseAgeparApiPlumbing();
app.UsePrometheusEndpoint();
app.UseAgeparAuth();
app.MapDefaultEndpoints(showDetails: context => context.GetCurrentUser()?.IsAdmin == true);
app.MapAuthApi();
app.MapUsersAdminApi();
app.MapAutomationsApi();
app.MapControlPanelApi();
app.MapMaintenanceApi();
app.MapAuditChainApi();
app.MapMonitoringApi();

app.Run();
