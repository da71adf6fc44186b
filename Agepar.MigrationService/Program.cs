using Agepar.Data.Connection;
using Agepar.MigrationService;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
try
{
    builder.AddAgeparDbContext(ConnectionNames.Admin, pooled: false);
}
catch (InvalidOperationException ex)
{
    // Missing or malformed connection string, or TLS too weak for Production: say which, exit non-zero.
    Console.Error.WriteLine($"Database migration FAILED: configuration error: {ex.Message}");
    return ExitCodes.Failed;
}


builder.Services.AddOptions<MigrationOptions>().BindConfiguration(MigrationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<ProvisioningOptions>().BindConfiguration(ProvisioningOptions.SectionName);
builder.Services.AddSingleton<RoleProvisioner>();
builder.Services.AddHostedService<MigrationWorker>();

var host = builder.Build();
await host.RunAsync();
return Environment.ExitCode;
