namespace SessionGate.AspNetCore.Authentication;

/// <summary>Marks an endpoint as requiring a valid <c>kira_session</c> header (401 <c>session_required</c> without one).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class RequireSessionAttribute : Attribute;

/// <summary>Takes an endpoint out of SessionGate entirely (no authentication, no limits).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class DisableSessionGateAttribute : Attribute;

/// <summary>Switches an endpoint off (KIP_9 "disabled"): every call answers 403 <c>route_disabled</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class SessionGateRouteDisabledAttribute : Attribute;

/// <summary>
/// Puts an endpoint's SessionGate rate limiting in shadow mode: each call is decided and counted
/// (metrics, would-be refusals per account) but never refused.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class SessionGateShadowAttribute : Attribute;
