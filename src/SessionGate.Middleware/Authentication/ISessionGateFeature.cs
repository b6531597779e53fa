using SessionGate.Keys;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>The verified session of the current request, as an HttpContext feature.</summary>
public interface ISessionGateFeature
{
    /// <summary>Who is calling, with which key, until when.</summary>
    VerifiedSession Session { get; }

    /// <summary>The signer-key record as of this request.</summary>
    SignerKeyRecord Key { get; }
}

internal sealed record SessionGateFeature(VerifiedSession Session, SignerKeyRecord Key) : ISessionGateFeature;
