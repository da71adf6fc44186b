using Agepar.Bff.Automations.Dfd;
using Agepar.Bff.Automations.Form2Json;
using Agepar.Bff.Automations.Queue;
using Agepar.Bff.Automations.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Agepar.Bff.Automations;

internal static class AutomationsExtensions
{
    /// <summary>
    /// The automations (form2json, dfd; <c>test-failing</c>, <c>test-slow</c> and the lost-commit-ack fault only in
    /// Development with <c>Automations:EnableTestAutomations=true</c>), their catalog, the submission queue and its worker.
    /// </summary>
    public static IHostApplicationBuilder AddAgeparAutomations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AutomationsOptions>().BindConfiguration(AutomationsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);

        // One line per automation.
        builder.Services.AddSingleton<IAutomation, Form2JsonAutomation>();
        builder.Services.AddSingleton<IAutomation, DfdAutomation>();
        if (builder.Environment.IsDevelopment() && builder.Configuration.GetValue<bool>($"{AutomationsOptions.SectionName}:{nameof(AutomationsOptions.EnableTestAutomations)}"))
        {
            builder.Services.AddSingleton<IAutomation, FailingAutomation>();
            builder.Services.AddSingleton<IAutomation, SlowAutomation>();
            builder.Services.AddSingleton<LostCommitAcknowledgement>();
            builder.Services.ConfigureDbContext<Agepar.Data.AgeparDbContext>(
                (services, db) => db.AddInterceptors(services.GetRequiredService<LostCommitAcknowledgement>()));
        }

        builder.Services.AddSingleton<AutomationCatalog>();
        builder.Services.AddSingleton<QueueSignal>();
        builder.Services.AddSingleton<SubmissionQueue>();
        builder.Services.AddSingleton<AutomationMetrics>();
        if (builder.Configuration.GetValue($"{QueueOptions.SectionName}:{nameof(QueueOptions.Enabled)}", true))
        {
            builder.Services.AddHostedService<SubmissionWorker>();
        }

        return builder;
    }
}
