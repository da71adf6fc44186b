using Agepar.Data.Connection;
using Agepar.MigrationService;
using Agepar.MigrationService.Import;
using Agepar.MigrationService.Protection;

// `import --from <source> [--dry-run]`: the one-off importer from the current portal (docs/import.md). Without the
// verb, the service migrates exactly as before.
if (args is ["import", .. var importArgs])
{
    return await ImportCommand.RunAsync(importArgs, Console.Out, Console.Error);
}

// `rotate-data-key`: re-encrypts every CPF under PersonalData:EncryptionKey (docs/schema.md, "Key rotation").
if (args is ["rotate-data-key", .. var rotateArgs])
{
    return await RotateDataKeyCommand.RunAsync(rotateArgs, Console.Out, Console.Error);
}

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
try
{
    builder.AddAgeparDbContext(ConnectionNames.Admin, pooled: false);
    // Migrations, partitions and the run's audit rows as the NOLOGIN schema owner (SET ROLE), where provisioned.
    builder.Services.ConfigureDbContext<Agepar.Data.AgeparDbContext>(db => db.AddInterceptors(new OwnerRoleSession.Interceptor()));
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
