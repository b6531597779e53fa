namespace SessionGate.Verification.Blocking;

/// <summary>What both blockers check and share: option validation and how memory is split.</summary>
internal static class ClientBlockingRules
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming every invalid setting at once. Disabled options are
    /// not checked: nothing uses them.
    /// </summary>
    public static void Validate(ClientBlockingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return;
        }

        var errors = new List<string>();
        if (options.FailureThreshold < 1)
        {
            errors.Add($"{nameof(options.FailureThreshold)} must be at least 1 (was {options.FailureThreshold}).");
        }

        if (options.FailureWindow < TimeSpan.FromMilliseconds(1))
        {
            errors.Add($"{nameof(options.FailureWindow)} must be at least 1 ms (was {options.FailureWindow}).");
        }

        if (options.BlockDuration < TimeSpan.FromMilliseconds(1))
        {
            errors.Add($"{nameof(options.BlockDuration)} must be at least 1 ms (was {options.BlockDuration}).");
        }

        if (options.MaxTrackedClients < 4)
        {
            errors.Add($"{nameof(options.MaxTrackedClients)} must be at least 4 (was {options.MaxTrackedClients}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid client blocking options: " + string.Join(" ", errors), nameof(options));
        }
    }

    /// <summary>Failure counters get half of <see cref="ClientBlockingOptions.MaxTrackedClients"/>.</summary>
    public static int CounterCapacity(ClientBlockingOptions options) => Math.Max(2, options.MaxTrackedClients / 2);

    /// <summary>Local block entries get the other half, so counters plus blocks never exceed the maximum.</summary>
    public static int BlockCapacity(ClientBlockingOptions options) => Math.Max(2, options.MaxTrackedClients - CounterCapacity(options));
}
