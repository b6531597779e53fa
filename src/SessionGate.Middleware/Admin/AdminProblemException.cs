namespace SessionGate.AspNetCore.Admin;

/// <summary>
/// A refusal of an admin request, thrown by the handlers and written once by
/// <see cref="AdminApiMiddleware"/> as an RFC 9457 problem (never a 500).
/// </summary>
internal sealed class AdminProblemException : Exception
{
    public AdminProblemException(int status, string code, string detail, IReadOnlyDictionary<string, List<string>>? errors = null)
        : base(detail)
    {
        Status = status;
        Code = code;
        Errors = errors;
    }

    public int Status { get; }

    public string Code { get; }

    /// <summary>For 429 answers: sent as <c>Retry-After</c> (whole seconds, rounded up).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For <c>invalid_request</c>: each offending property or parameter and what is wrong with it.</summary>
    public IReadOnlyDictionary<string, List<string>>? Errors { get; }

    public static AdminProblemException KeyNotFound() =>
        new(404, AdminProblemCodes.KeyNotFound, "No key with this public key is registered.");

    public static AdminProblemException StoreUnavailable() =>
        new(503, AdminProblemCodes.StoreUnavailable, "The store could not be reached; nothing was changed. Try again.");
}

/// <summary>The admin API's problem codes and titles (docs/admin-api.md).</summary>
internal static class AdminProblemCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string PublicKeyInvalid = "public_key_invalid";
    public const string Unauthorized = "admin_unauthorized";
    public const string KeyNotFound = "key_not_found";
    public const string ClientNotBlocked = "client_not_blocked";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string KeyOwnedByAnotherAccount = "key_owned_by_another_account";
    public const string KeyDisabled = "key_disabled";
    public const string TooManyOverrides = "too_many_overrides";
    public const string RequestTooLarge = "request_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string StoreUnavailable = "store_unavailable";
    public const string Throttled = "admin_throttled";
    public const string IpBlocked = "ip_blocked";

    public static string TitleOf(string code) => code switch
    {
        InvalidRequest => "The request is invalid.",
        PublicKeyInvalid => "The public key is not a usable sr25519 key.",
        Unauthorized => "Admin credential missing or wrong.",
        KeyNotFound => "No such key.",
        ClientNotBlocked => "The client is not blocked.",
        NotFound => "No such admin path.",
        MethodNotAllowed => "Method not allowed on this path.",
        KeyOwnedByAnotherAccount => "The key belongs to another account.",
        KeyDisabled => "The key is disabled.",
        TooManyOverrides => "Too many tier overrides.",
        RequestTooLarge => "The request body is too large.",
        UnsupportedMediaType => "The body must be application/json.",
        StoreUnavailable => "The store is unavailable.",
        Throttled => "Too many failed admin credentials.",
        IpBlocked => "The client is temporarily blocked.",
        _ => "The request was refused.",
    };
}
