namespace Agepar.Bff.Infrastructure;

/// <summary>Field errors collected while reading a payload, keyed by JSON path (<c>itens[2].quantidade</c>).</summary>
internal sealed class ValidationErrors
{
    /// <summary>Hostile bodies can produce thousands of errors; the response names the first ones.</summary>
    public const int MaxErrors = 100;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private int _count;

    public bool IsEmpty => _count == 0;

    public void Add(string field, string message)
    {
        if (_count >= MaxErrors)
        {
            return;
        }

        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        _count++;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
