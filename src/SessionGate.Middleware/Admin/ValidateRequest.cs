using System.Text.Json;

namespace SessionGate.AspNetCore.Admin;

/// <summary>The validate body: <c>{ "path": "/", "method": "GET", "cost": 1 }</c>, every property optional.</summary>
internal static class ValidateRequest
{
    public const int MaxCost = 1_000_000;
    public const int MaxPathLength = 2048;

    public static (string Path, string Method, long Cost) Parse(JsonBody? body)
    {
        if (body is null)
        {
            return ("/", "GET", 1);
        }

        var errors = new ValidationErrors();
        string path = body.GetString("path", errors, required: false) ?? "/";
        if (path.Length is 0 or > MaxPathLength || path[0] != '/')
        {
            errors.Add("path", $"must start with '/' and be at most {MaxPathLength} characters");
        }

        string method = body.GetString("method", errors, required: false) ?? "GET";
        if (!GrantRequest.IsMethod(method))
        {
            errors.Add("method", "must be an HTTP method name (1 to 16 letters), e.g. GET");
        }

        long cost = 1;
        if (body.TryGet("cost", errors, out JsonElement value)
            && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out cost) || cost is < 1 or > MaxCost))
        {
            errors.Add("cost", $"must be an integer from 1 to {MaxCost}");
        }

        errors.ThrowIfAny();
        return (path, method.ToUpperInvariant(), cost);
    }
}
