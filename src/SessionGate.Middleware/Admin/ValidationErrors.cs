namespace SessionGate.AspNetCore.Admin;

/// <summary>Collects every validation error of a request (property or parameter → messages) so one 400 reports them all.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>How many properties have errors.</summary>
    public int Count => _errors.Count;

    /// <summary>The errors collected so far.</summary>
    public Dictionary<string, List<string>> ToDictionary() => new(_errors, StringComparer.Ordinal);

    public void Add(string name, string message)
    {
        if (!_errors.TryGetValue(name, out List<string>? messages))
        {
            messages = [];
            _errors.Add(name, messages);
        }

        messages.Add(message);
    }

    /// <summary>Throws the collected errors as one <c>400 invalid_request</c>, if there are any.</summary>
    public void ThrowIfAny()
    {
        if (Any)
        {
            throw Problem();
        }
    }

    public AdminProblemException Problem() => new(
        400,
        AdminProblemCodes.InvalidRequest,
        _errors.Count == 1 ? "1 property is invalid." : $"{_errors.Count} properties are invalid.",
        _errors);

    /// <summary>Throws a 400 for a single property.</summary>
    public static AdminProblemException Single(string name, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(name, message);
        return errors.Problem();
    }
}
