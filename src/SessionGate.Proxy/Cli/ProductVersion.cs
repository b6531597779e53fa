using System.Reflection;

namespace SessionGate.Proxy.Cli;

internal static class ProductVersion
{
    /// <summary>"v" + the informational version of the executable, without build metadata.</summary>
    public static string Current { get; } = "v" + (typeof(ProductVersion).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");
}
