using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionGate.Chain;
using SessionGate.AspNetCore.Configuration;
using SessionGate.Keys;
using Microsoft.Extensions.Logging;
using SessionGate.AspNetCore.Authentication;
using SessionGate.Verification;
using SessionGate.Verification.Budget;
using SessionGate.Verification.Difficulty;
using SessionGate.Verification.Signatures;

namespace SessionGate.AspNetCore.DependencyInjection;

/// <summary>The session verifier, over whichever block feed, key directory and signature verifier are registered.</summary>
internal static class VerificationRegistrations
{
    public static void AddSessionGateVerification(this IServiceCollection services)
    {
        // First-seen headers' signatures are checked in group-committed batches (one per core).
        services.TryAddSingleton<ISignatureVerifier, SignatureBatcher>();

        // The nonce challenge (SessionGate:Difficulty), checked on the verifier's cache-miss path and announced by /block.
        services.TryAddSingleton(sp => new DifficultyGate(sp.GetSessionGateOptions().Difficulty, sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>(), sp.GetService<ILogger<DifficultyGate>>()));
        // First-seen signature checks per client and minute (SessionGate:ClientBlocking:VerificationsPerMinute).
        services.TryAddSingleton<IVerificationBudget>(sp => new VerificationBudget(
            sp.GetSessionGateOptions().ClientBlocking,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<VerificationBudget>>()));
        // Read by ClientAddresses on every request that needs a client key.
        services.TryAddSingleton(sp => sp.GetSessionGateOptions().ClientAddresses);
        services.TryAddSingleton<ISessionVerifier>(sp => new SessionVerifier(
            sp.GetRequiredService<IBlockFeed>(),
            sp.GetRequiredService<ISignerKeyDirectory>(),
            sp.GetRequiredService<TimeProvider>(),
            VerifierOptions(sp.GetSessionGateOptions()),
            sp.GetService<IMeterFactory>(),
            sp.GetRequiredService<ISignatureVerifier>(),
            sp.GetRequiredService<IVerificationBudget>(),
            sp.GetRequiredService<DifficultyGate>()));
    }

    private static SessionVerifierOptions VerifierOptions(SessionGateOptions options) => new()
    {
        Window = options.Window,
        ClockSkew = options.ClockSkew,
        SigningContext = options.SigningContext,
        AddressPrefix = options.AddressPrefix,
        VerdictCacheCapacity = options.VerdictCacheCapacity,
    };
}
