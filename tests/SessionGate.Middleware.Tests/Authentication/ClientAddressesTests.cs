using System.Net;
using SessionGate.AspNetCore.Authentication;

namespace SessionGate.Middleware.Tests.Authentication;

public sealed class ClientAddressesTests
{
    [Theory]
    [InlineData("192.0.2.7", 64, "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", 64, "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 64, "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2::1", 64, "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 48, "2001:db8:1::")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 56, "2001:db8:1::")]
    [InlineData("2001:db8:1:2ff:aaaa::1", 56, "2001:db8:1:200::")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 128, "2001:db8:1:2:aaaa:bbbb:cccc:dddd")]
    [InlineData("fe80::1%2", 64, "fe80::")]
    public void KeyOf_Ipv6_IsMaskedToThePrefix(string address, int prefixLength, string expected) =>
        Assert.Equal(expected, ClientAddresses.KeyOf(IPAddress.Parse(address), prefixLength));
}
