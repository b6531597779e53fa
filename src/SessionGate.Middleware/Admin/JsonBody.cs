using System.Text.Json;

namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// A JSON object's properties matched case-insensitively (camelCase names in the contract, any case
/// accepted); unknown properties are ignored, a property given twice is an error. JSON <c>null</c>
/// counts as absent. Type errors are collected into <see cref="ValidationErrors"/> under the
/// contract's property name.
/// </summary>
internal sealed class JsonBody
{
    private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _duplicates = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _prefix;

    /// <param name="element">A JSON object.</param>
    /// <param name="prefix">Prefix of the names errors are reported under, e.g. <c>scopes[0].</c> for a nested object.</param>
    public JsonBody(JsonElement element, string prefix = "")
    {
        _prefix = prefix;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!_properties.TryAdd(property.Name, property.Value))
            {
                _duplicates.Add(property.Name);
            }
        }
    }

    /// <summary>The value of <paramref name="name"/>, or false when absent or null (or given twice: reported).</summary>
    public bool TryGet(string name, ValidationErrors errors, out JsonElement value)
    {
        if (_duplicates.Contains(name))
        {
            errors.Add(_prefix + name, "appears more than once");
            value = default;
            return false;
        }

        return _properties.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    public bool Has(string name) => _properties.TryGetValue(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A string property; null when absent (reported when <paramref name="required"/>) or of another type (reported).</summary>
    public string? GetString(string name, ValidationErrors errors, bool required)
    {
        if (!TryGet(name, errors, out JsonElement value))
        {
            if (required)
            {
                errors.Add(_prefix + name, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(_prefix + name, "must be a string");
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate (e.g. "\ud800") is valid JSON but not a string .NET can hold.
            errors.Add(_prefix + name, "must be a valid Unicode string");
            return null;
        }
    }

    /// <summary>The string value of <paramref name="element"/>; false for other kinds and for strings .NET cannot hold.</summary>
    public static bool TryReadString(JsonElement element, out string value)
    {
        value = "";
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            value = element.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
