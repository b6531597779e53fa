namespace SessionGate.Dashboard;

/// <summary>One file of the dashboard, read once from the assembly's embedded resources.</summary>
/// <param name="Content">The bytes served.</param>
/// <param name="ContentType">The media type with its charset.</param>
/// <param name="ETag">A strong entity tag derived from <paramref name="Content"/> (quoted).</param>
internal sealed record DashboardAsset(ReadOnlyMemory<byte> Content, string ContentType, string ETag);
