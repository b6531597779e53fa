using SessionGate.Protocol;

namespace SessionGate.Chain;

/// <summary>A block the gateway knows: its hash, height and the chain's own timestamp for it.</summary>
/// <param name="Height">Block height.</param>
/// <param name="Hash">The 32-byte block hash (Tendermint shows it as 64 uppercase hex digits).</param>
/// <param name="Time">The block header's time.</param>
public sealed record BlockInfo(long Height, Bytes32 Hash, DateTimeOffset Time);
