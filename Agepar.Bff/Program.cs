using Agepar.Bff.Health;
using Agepar.Bff.Infrastructure;
using Agepar.Data;
using Agepar.Data.Connection;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAgeparDbContext(AgeparDbContext.ConnectionName, pooled: true);
builder.AddRedisClient("redis", settings => settings.DisableHealthChecks = true);
builder.AddAgeparHealthChecks();
builder.AddAgeparApiPlumbing();

var app = builder.Build();

app.UseAgeparApiPlumbing();
app.MapDefaultEndpoints();

app.Run();
