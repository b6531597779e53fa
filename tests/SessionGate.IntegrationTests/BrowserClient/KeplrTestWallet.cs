using SessionGate.IntegrationTests.Proxy;

namespace SessionGate.IntegrationTests.BrowserClient;

/// <summary>
/// The browser bundle of tools/keplr-test-wallet (a <c>window.keplr</c> stand-in made of
/// <c>@keplr-wallet/cosmos</c> and <c>@cosmjs</c>), built with its esbuild script for this test run:
/// the bundle is never committed nor served by the gateway. Needs <c>npm ci</c> there (test.sh does it).
/// </summary>
internal static class KeplrTestWallet
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _bundle;

    /// <summary>The script that defines <c>window.installTestKeplr({ privateKey, reject })</c>.</summary>
    public static async Task<string> BundleAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _bundle ??= await BuildAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> BuildAsync()
    {
        string tool = Path.Combine(RepositoryRoot(), "tools", "keplr-test-wallet");
        if (!Directory.Exists(Path.Combine(tool, "node_modules", "@keplr-wallet", "cosmos")))
        {
            throw new InvalidOperationException($"The test wallet's packages are not installed: run `npm ci` in {tool} (./test.sh does this).");
        }

        await using ChildProcess node = ChildProcess.Start("node", [Path.Combine(tool, "build.mjs"), "--stdout"], workingDirectory: tool);
        int exitCode = await node.WaitForExitAsync(TimeSpan.FromSeconds(120));
        string script = string.Join('\n', node.Output.Split('\n').Where(l => !l.StartsWith('!')));
        if (exitCode != 0 || !script.Contains("installTestKeplr", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"node build.mjs --stdout in {tool} failed (exit {exitCode}):\n{node.Output[..Math.Min(node.Output.Length, 4000)]}");
        }

        return script;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SessionGate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SessionGate.sln not found above " + AppContext.BaseDirectory);
    }
}
