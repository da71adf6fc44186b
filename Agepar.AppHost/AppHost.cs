using Agepar.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder.Configuration);

var postgres = builder.AddAgeparPostgres(settings);
var db = postgres.AddDatabase("agepar");
var access = builder.AddAgeparDatabaseAccess(postgres, db);

var bootstrapAdmin = builder.AddBootstrapAdmin();
var monitoring = builder.AddAgeparMonitoringAccess();
var dataKeys = builder.AddPersonalDataKeys();

var redis = builder.AddRedis("redis")
    .WithImageTag(AppHostSettings.RedisImageTag)
    .WithAgeparRegistry(settings);

var migrations = builder.AddProject<Projects.Agepar_MigrationService>("migrations")
    .WithReference(db, connectionName: "agepar-provisioning")   // superuser: provisioning only
    .WithReference(access.Admin)                                 // agepar_admin: DDL
    .WithEnvironment("Provisioning__AdminPassword", access.AdminPassword)
    .WithEnvironment("Provisioning__AppUserPassword", access.AppUserPassword)
    .WithEnvironment("Provisioning__BackupPassword", access.BackupPassword)
    .WithEnvironment("Provisioning__MonitorPassword", monitoring.MonitorPassword)
    .WithPersonalDataKeys(dataKeys)                              // encrypts clear CPFs at upgrade; the importer
    .WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString)
    .WaitFor(db);

var azurite = builder.AddAgeparBackupStorage(settings);                           // encrypted off-site copies: Azurite / backup-storage
var backup = builder.AddAgeparBackup(settings, access, azurite, migrations);      // daily pg_dump + restore check + upload
var pgbouncer = builder.AddAgeparPgBouncer(settings, postgres, access, migrations); // run mode, optional
var replica = builder.AddAgeparStreamingReplica(settings, postgres, migrations);   // run mode, Bff:ReadReplica=Streaming
var exporter = builder.AddAgeparPostgresExporter(settings, postgres, monitoring, migrations);

var bff = builder.AddProject<Projects.Agepar_Bff>("bff")
    .WithAgeparAppDatabase(builder, access, pgbouncer) // agepar_user: DML only
    .WithReference(redis)
    .WithAgeparReadReplica(builder, settings, access, replica)
    .WithBootstrapAdmin(bootstrapAdmin)
    .WithPersonalDataKeys(dataKeys)
    .WithAgeparMetricsEndpoint(monitoring)
    .WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString)
    .WaitFor(db)
    .WaitForCompletion(migrations)
    .WaitFor(redis)
    .WithHttpHealthCheck("/api/health")
    .WithAgeparHostPort(builder, settings.BffHostPort)
    .WithExtraEnvironment(builder, settings.BffEnvironment)
    .WithExternalHttpEndpoints();

var prometheus = builder.AddAgeparPrometheus(settings, monitoring, exporter, backup, bff); // run mode, on the host

builder.Build().Run();
