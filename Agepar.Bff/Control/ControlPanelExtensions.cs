namespace Agepar.Bff.Control;

internal static class ControlPanelExtensions
{
    /// <summary>The control panel's options, its per-request database (replica or primary) and the export slots.</summary>
    public static IHostApplicationBuilder AddAgeparControlPanel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ControlPanelOptions>().BindConfiguration(ControlPanelOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<PanelDatabase>();
        builder.Services.AddSingleton<ExportSlots>();
        return builder;
    }
}
