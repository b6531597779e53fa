using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.Authentication;

namespace SessionGate.AspNetCore.Endpoints;

/// <summary>
/// The end of the <c>PathPrefix</c> branch: a path under the prefix that no SessionGate endpoint
/// answered gets an RFC 9457 <c>404 not_found</c> problem like every other SessionGate answer, instead
/// of ASP.NET Core's empty 404. (The prefix is SessionGate's: such requests are never proxied.)
/// </summary>
internal static class PrefixNotFound
{
    /// <summary>The problem code.</summary>
    public const string Code = "not_found";

    /// <summary>The terminal request delegate of the branch.</summary>
    public static Task WriteAsync(HttpContext context) =>
        ProblemResponses.WriteAsync(context, StatusCodes.Status404NotFound, Code, "No such SessionGate endpoint.", "No SessionGate endpoint has this path.", instance: null);
}
