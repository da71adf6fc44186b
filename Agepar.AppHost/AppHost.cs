using Agepar.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder.Configuration);

var postgres = builder.AddAgeparPostgres(settings);
var db = postgres.AddDatabase("agepar");

var redis = builder.AddRedis("redis")
    .WithImageTag(AppHostSettings.RedisImageTag)
    .WithAgeparRegistry(settings);

var migrations = builder.AddProject<Projects.Agepar_MigrationService>("migrations")
    .WithReference(db)
    .WaitFor(db);

builder.AddProject<Projects.Agepar_Bff>("bff")
    .WithReference(db)
    .WithReference(redis)
    .WaitForCompletion(migrations)
    .WaitFor(redis)
    .WithHttpHealthCheck("/api/health")
    .WithAgeparHostPort(builder, settings.BffHostPort)
    .WithExternalHttpEndpoints();

builder.Build().Run();
