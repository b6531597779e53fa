namespace SessionGate.Proxy.Gateway.Hosting;

/// <summary>The gateway's configuration is invalid; <see cref="Errors"/> names every problem, each with its key.</summary>
internal sealed class GatewayConfigurationException : Exception
{
    public GatewayConfigurationException(IReadOnlyList<string> errors, Exception? innerException = null)
        : base("Invalid configuration: " + string.Join(" ", errors), innerException) => Errors = errors;

    public IReadOnlyList<string> Errors { get; }
}
