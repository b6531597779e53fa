using System.Diagnostics;

namespace SessionGate.Proxy.Tests.Commands;

/// <summary>Runs the built <c>sessiongate</c> executable as a real process.</summary>
public sealed class ExecutableTests
{
    [Fact]
    public async Task Executable_SignAndVerify_ExitCodesAndStreams()
    {
        (int keyCode, string keyOut, _) = await RunAsync("key", "new", "--seed", new string('1', 64));
        Assert.Equal(0, keyCode);
        string publicKey = System.Text.Json.JsonDocument.Parse(keyOut).RootElement.GetProperty("public_key").GetString()!;

        (int signCode, string signature, _) = await RunAsync("sign", "--seed", new string('1', 64), "--message-hex", "cafe");
        Assert.Equal(0, signCode);

        (int verifyCode, string verdict, _) = await RunAsync("verify", "--public-key", publicKey, "--message-hex", "cafe", "--signature", signature.Trim());
        Assert.Equal(0, verifyCode);
        Assert.Equal("valid", verdict.Trim());

        (int badCode, string badOut, string badErr) = await RunAsync("sign", "--seed", "12");
        Assert.Equal(2, badCode);
        Assert.Equal("", badOut);
        Assert.Single(badErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Executable_SeedFromStdinAndFile_SameKeyAndSeedNotOnCommandLine()
    {
        string seed = "0x" + new string('7', 64);
        (int argCode, string argOut, _) = await RunAsync("key", "new", "--seed", seed);
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, seed + "\n");
            (int stdinCode, string stdinOut, _) = await RunAsync(["key", "new", "--seed-file", "-"], stdin: seed + "\n");
            (int fileCode, string fileOut, _) = await RunAsync("key", "new", "--seed-file", file);
            (int signCode, string signature, _) = await RunAsync(["sign", "--seed-file", "-", "--message-hex", "cafe"], stdin: seed);
            string publicKey = System.Text.Json.JsonDocument.Parse(argOut).RootElement.GetProperty("public_key").GetString()!;
            (int verifyCode, string verdict, _) = await RunAsync("verify", "--public-key", publicKey, "--message-hex", "cafe", "--signature", signature.Trim());
            (int bothCode, _, string bothErr) = await RunAsync("key", "new", "--seed", seed, "--seed-file", file);

            Assert.Equal((0, 0, 0, 0, 0), (argCode, stdinCode, fileCode, signCode, verifyCode));
            Assert.Equal(argOut, stdinOut);
            Assert.Equal(argOut, fileOut);
            Assert.Equal("valid", verdict.Trim());
            Assert.Equal(2, bothCode);
            Assert.Contains("not both", bothErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, string? stdin)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "sessiongate.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
