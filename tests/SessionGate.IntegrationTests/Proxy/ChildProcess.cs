using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using SessionGate.IntegrationTests.Infrastructure;

namespace SessionGate.IntegrationTests.Proxy;

/// <summary>
/// A child process whose output is collected line by line, so tests can wait for a line with a
/// deadline (never a fixed sleep) and show everything it printed when an assertion fails.
/// Disposing kills it (and its children) if it still runs.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything printed so far, stdout and stderr interleaved as received, stderr lines prefixed "!".</summary>
    public string Output => string.Join('\n', _lines);

    public IEnumerable<string> StandardErrorLines => _lines.Where(l => l.StartsWith('!')).Select(l => l[1..]);

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The child must not inherit settings of the test run that would change what it does.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Receive(e.Data, child._outputClosed, prefix: "");
        process.ErrorDataReceived += (_, e) => child.Receive(e.Data, child._errorClosed, prefix: "!");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Starts <c>dotnet sessiongate.dll ARGS</c>.</summary>
    public static ChildProcess StartSessionGate(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        Start("dotnet", [SessionGateExecutable.DllPath, .. arguments], environment);

    /// <summary>The first output line matching <paramref name="predicate"/>; fails after <paramref name="timeout"/> or if the process exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, string because)
    {
        string? found = null;
        try
        {
            await Eventually.HoldsAsync(
                () =>
                {
                    found = _lines.FirstOrDefault(predicate);
                    return Task.FromResult(found is not null || _process.HasExited);
                },
                timeout,
                because);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\nProcess output:\n{Output}");
        }

        found ??= _lines.FirstOrDefault(predicate);
        return found ?? throw new Xunit.Sdk.XunitException($"The process exited with code {_process.ExitCode} before {because}.\nProcess output:\n{Output}");
    }

    /// <summary>Waits for the process to exit (and its output to be read); returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_outputClosed.Task, _errorClosed.Task).WaitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The process did not exit within {timeout}.\nProcess output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Receive(string? line, TaskCompletionSource closed, string prefix)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        _lines.Enqueue(prefix + line);
    }
}
