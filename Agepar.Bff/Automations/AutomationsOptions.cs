using System.ComponentModel.DataAnnotations;

namespace Agepar.Bff.Automations;

/// <summary>Submit and storage limits of the automations (configuration section <c>Automations</c>).</summary>
internal sealed class AutomationsOptions
{
    public const string SectionName = "Automations";

    /// <summary>Largest submit body accepted; larger ones answer 413 (default 256 KiB).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>Largest generated file stored in <c>submission_files</c>; a larger one fails the submission (default 10 MiB).</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest JSON result stored in <c>submissions.result</c> (default 1 MiB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResultBytes { get; set; } = 1024 * 1024;

    /// <summary>Registers the test-only automations (<c>test-failing</c>). Honoured only in the Development environment.</summary>
    public bool EnableTestAutomations { get; set; }
}
