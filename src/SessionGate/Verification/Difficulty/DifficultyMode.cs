namespace SessionGate.Verification.Difficulty;

/// <summary>When first-seen headers must carry a solved nonce (<c>SessionGate:Difficulty:Mode</c>).</summary>
public enum DifficultyMode
{
    /// <summary>Never: the nonce is not checked (the default).</summary>
    Off = 0,

    /// <summary>
    /// When first-seen verification load passes <see cref="DifficultyOptions.FirstSeenVerificationsPerSecond"/>:
    /// the difficulty rises while it does and falls again when load stays low.
    /// </summary>
    Auto,

    /// <summary>Always, at <see cref="DifficultyOptions.Bits"/>.</summary>
    Always,
}
