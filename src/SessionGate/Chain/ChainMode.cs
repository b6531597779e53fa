namespace SessionGate.Chain;

/// <summary>Where the gateway learns about blocks (configuration key <c>SessionGate:Chain:Mode</c>).</summary>
public enum ChainMode
{
    /// <summary>The built-in simulated chain: no node needed, one block every <see cref="DevChainOptions.BlockInterval"/>.</summary>
    Dev = 0,

    /// <summary>A Tendermint/CometBFT RPC endpoint (KIRA's sekaid) at <see cref="ChainOptions.RpcUrl"/>.</summary>
    Tendermint = 1,
}
