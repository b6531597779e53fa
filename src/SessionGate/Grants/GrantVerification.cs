namespace SessionGate.Grants;

/// <summary>The outcome of <see cref="GrantVerifier.Verify"/>: the message, or why it was refused.</summary>
public sealed record GrantVerification
{
    /// <summary><see cref="GrantError.None"/> when the message and its signature are acceptable.</summary>
    public required GrantError Error { get; init; }

    /// <summary>A detail for the client (never a key or signature).</summary>
    public string? Detail { get; init; }

    /// <summary>For <see cref="GrantError.Malformed"/>: every problem, by part of the request (<c>message</c>, <c>signature</c>, …).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The verified message (when <see cref="Error"/> is <see cref="GrantError.None"/>).</summary>
    public GrantMessage? Message { get; init; }

    /// <summary>A refusal.</summary>
    public static GrantVerification Refused(GrantError error, string detail) => new() { Error = error, Detail = detail };
}
