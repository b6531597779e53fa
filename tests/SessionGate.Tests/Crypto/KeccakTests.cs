using SessionGate.Crypto;

namespace SessionGate.Tests.Crypto;

public sealed class KeccakTests
{
    [Fact]
    public void Permute_ZeroState_MatchesKeccakTeamAnswer()
    {
        // Keccak-f[1600] applied once to the all-zero state (KeccakF-1600-IntermediateValues.txt).
        ulong[] lanes = new ulong[25];
        Keccak.Permute(lanes);
        Assert.Equal(0xF1258F7940E1DDE7UL, lanes[0]);
        Assert.Equal(0x84D5CCF933C0478AUL, lanes[1]);
        Assert.Equal(0xD598261EA65AA9EEUL, lanes[2]);
    }

    [Fact]
    public void Permute_WrongStateSize_Throws() =>
        Assert.Throws<ArgumentException>(() => Keccak.Permute(new byte[199].AsSpan()));
}
