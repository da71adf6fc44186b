using Agepar.Bff.Health;
using Agepar.Bff.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAgeparDatabase();
builder.AddRedisClient("redis");
builder.AddAgeparHealthChecks();
builder.AddAgeparApiPlumbing();

var app = builder.Build();

app.UseAgeparApiPlumbing();
app.MapDefaultEndpoints();

app.Run();
