using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// The request's authentication result and user, one object for both features as ASP.NET Core's
/// authentication middleware keeps them: setting the result sets the user from it. One per request
/// (<c>HttpContext.User</c> may be replaced by the application), around a result that may be shared.
/// </summary>
internal sealed class SessionGateAuthenticationFeature(AuthenticateResult result) : IAuthenticateResultFeature, IHttpAuthenticationFeature
{
    private AuthenticateResult? _result = result;

    public ClaimsPrincipal? User { get; set; } = result.Principal;

    public AuthenticateResult? AuthenticateResult
    {
        get => _result;
        set
        {
            _result = value;
            User = value?.Principal;
        }
    }
}
