using System.Reflection;

namespace SessionGate.AspNetCore.Endpoints;

/// <summary>The product version reported by <c>/version</c>: "v" + the assembly's informational version.</summary>
public static class SessionGateVersion
{
    /// <summary>For example <c>v0.1.0</c>.</summary>
    public static string Current { get; } = "v" + (typeof(SessionGateVersion).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");
}
