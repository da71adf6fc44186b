namespace Agepar.Bff.Automations;

/// <summary>A generated document, stored in <c>submission_files</c> and served by the download endpoint.</summary>
internal sealed record AutomationFile(string FileName, string ContentType, byte[] Content);
