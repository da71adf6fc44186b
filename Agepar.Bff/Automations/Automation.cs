using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Agepar.Bff.Automations.Validation;
using Agepar.Bff.Infrastructure;

namespace Agepar.Bff.Automations;

/// <summary>
/// The base of every automation. The automation reads the submit body into <typeparamref name="TInput"/> (a record
/// whose JSON form, camelCase, is the canonical payload stored in <c>submissions.payload</c>), declares its unique keys
/// and processes the same record, read back from the stored payload. The body's unknown properties are rejected here,
/// for every automation.
/// </summary>
internal abstract class Automation<TInput> : IAutomation
    where TInput : class
{
    /// <summary>How a typed input becomes the stored payload and back: camelCase, nulls written, dates as yyyy-MM-dd.</summary>
    public static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public abstract string Slug { get; }

    public abstract string Version { get; }

    public abstract string Title { get; }

    public abstract string Description { get; }

    public abstract IReadOnlyList<string> RequiredRoles { get; }

    public abstract JsonElement InputSchema { get; }

    /// <summary>Unique indexes over this automation's payloads and the 409 each one means (none by default).</summary>
    public virtual IReadOnlyList<UniqueKey<TInput>> UniqueKeys => [];

    /// <summary>
    /// Reads the fields of the body into the input record, adding every problem to <paramref name="form"/>. Return
    /// null when anything is wrong (the errors are what counts); unknown fields are reported by the caller.
    /// </summary>
    protected abstract TInput? Read(JsonObjectReader form);

    /// <summary>The work, on the typed input read back from the stored payload.</summary>
    protected abstract Task<AutomationOutput> ProcessAsync(TInput input, AutomationJob job, CancellationToken cancellationToken);

    /// <summary>The submit body as the typed input with its canonical payload, or every field error.</summary>
    public AutomationValidation<TInput> Validate(JsonElement body)
    {
        var errors = new ValidationErrors();
        TInput? input = null;
        if (JsonObjectReader.ForRoot(body, errors) is { } form)
        {
            input = Read(form);
            form.RejectUnknown();
        }

        if (!errors.IsEmpty || input is null)
        {
            return new AutomationValidation<TInput>(null, null, errors.IsEmpty ? Unreadable() : errors.ToDictionary());
        }

        return new AutomationValidation<TInput>(input, JsonSerializer.SerializeToNode(input, PayloadJson)!.AsObject(), errors.ToDictionary());
    }

    /// <summary>Reads a stored payload back into the input record (a payload that does not fit fails for good).</summary>
    public TInput ReadPayload(JsonElement payload)
    {
        try
        {
            return payload.Deserialize<TInput>(PayloadJson) ?? throw new JsonException("The payload is null.");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new AutomationException($"O payload armazenado não está no formato de {Slug}@{Version}.", permanent: true, ex);
        }
    }

    AutomationValidation IAutomation.Validate(JsonElement input) => Validate(input).Untyped();

    AutomationConflict? IAutomation.DescribeConflict(string constraintName, AutomationValidation accepted) =>
        accepted.Input is TInput input && UniqueKeys.FirstOrDefault(k => k.ConstraintName == constraintName) is { } key
            ? key.Describe(input)
            : null;

    Task<AutomationOutput> IAutomation.ProcessAsync(AutomationJob job, CancellationToken cancellationToken) =>
        ProcessAsync(ReadPayload(job.Payload), job, cancellationToken);

    // Read returned null without naming a field: a bug in the automation, reported on the body rather than as a 500.
    private static Dictionary<string, string[]> Unreadable() => new() { ["$"] = ["O corpo não pôde ser lido."] };
}
