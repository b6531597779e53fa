using System.Reflection;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>The built <c>sessiongate.dll</c> (path recorded at build time, see the csproj).</summary>
public static class SessionGateExecutable
{
    public static string DllPath { get; } = Resolve();

    private static string Resolve()
    {
        string? path = typeof(SessionGateExecutable).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SessionGateExecutable")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException($"The sessiongate executable was not built where the build recorded it ('{path}'); build the solution first.");
        }

        return path;
    }
}
