using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionGate.AspNetCore;
using SessionGate.Chain;
using SessionGate.AspNetCore.Configuration;
using SessionGate.AspNetCore.DependencyInjection;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses SessionGate's implementations on the builder <c>AddSessionGate()</c> returns.</summary>
public static class SessionGateBuilderExtensions
{
    /// <summary>
    /// Uses Redis at <paramref name="configuration"/> (the same as setting <c>SessionGate:Redis</c>): the
    /// Redis stores and one multiplexer, opened asynchronously when the host starts.
    /// </summary>
    public static ISessionGateBuilder AddRedis(this ISessionGateBuilder builder, string configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        builder.Services.Configure<SessionGateOptions>(o => o.Redis = configuration);
        return builder;
    }

    /// <summary>
    /// Uses the application's own multiplexer (it stays the application's: SessionGate does not close
    /// it). <c>SessionGate:RedisTimeout</c> and <c>SessionGate:RedisKeyPrefix</c> still apply.
    /// </summary>
    public static ISessionGateBuilder AddRedis(this ISessionGateBuilder builder, IConnectionMultiplexer multiplexer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(multiplexer);
        builder.Services.RemoveAll<ApplicationMultiplexer>();
        builder.Services.AddSingleton(new ApplicationMultiplexer(multiplexer));
        builder.Services.RemoveAll<IConnectionMultiplexer>();
        builder.Services.AddSingleton(multiplexer);
        return builder;
    }

    /// <summary>Follows a Tendermint node at <paramref name="rpcUrl"/> (sets <c>SessionGate:Chain:Mode</c> and <c>RpcUrl</c>).</summary>
    public static ISessionGateBuilder AddTendermintChain(this ISessionGateBuilder builder, string rpcUrl)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(rpcUrl);
        builder.Services.Configure<SessionGateOptions>(o => o.Chain = o.Chain with { Mode = ChainMode.Tendermint, RpcUrl = rpcUrl });
        return builder;
    }

    /// <summary>Runs the built-in dev chain (the default; overrides <c>SessionGate:Chain:Mode</c>; <c>SessionGate:Chain:Dev</c> still applies).</summary>
    public static ISessionGateBuilder AddDevChain(this ISessionGateBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<SessionGateOptions>(o => o.Chain = o.Chain with { Mode = ChainMode.Dev });
        return builder;
    }
}
