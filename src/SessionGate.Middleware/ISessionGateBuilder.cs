using Microsoft.Extensions.DependencyInjection;

namespace SessionGate.AspNetCore;

/// <summary>Returned by <c>AddSessionGate()</c> to configure SessionGate further.</summary>
public interface ISessionGateBuilder
{
    /// <summary>The service collection SessionGate was added to.</summary>
    IServiceCollection Services { get; }
}

internal sealed record SessionGateBuilder(IServiceCollection Services) : ISessionGateBuilder;
