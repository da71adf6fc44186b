using Agepar.Data;
using Agepar.MigrationService;
using Microsoft.EntityFrameworkCore;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddDbContext<AgeparDbContext>(options =>
    options.UseAgeparNpgsql(builder.Configuration.GetConnectionString(AgeparDbContext.ConnectionName)));
builder.EnrichNpgsqlDbContext<AgeparDbContext>();
builder.Services.AddHostedService<MigrationWorker>();

var host = builder.Build();
await host.RunAsync();
return Environment.ExitCode;
