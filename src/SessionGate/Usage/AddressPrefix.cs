using System.Net;
using System.Net.Sockets;

namespace SessionGate.Usage;

/// <summary>
/// The network an anonymous client's address belongs to, as the history counts anonymous traffic:
/// the /24 of an IPv4 address (<c>203.0.113.0/24</c>) and the /48 of an IPv6 address
/// (<c>2001:db8:1::/48</c>, a typical site allocation). IPv4-mapped IPv6 addresses count as IPv4.
/// Per-address counts would let one client with many addresses fill the history; a prefix is what
/// an operator blocks or asks about anyway.
/// </summary>
public static class AddressPrefix
{
    /// <summary>The prefix of <paramref name="address"/>, or null when it is not an IP address.</summary>
    public static string? Of(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Length > 64 || !IPAddress.TryParse(address, out IPAddress? ip))
        {
            return null;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!ip.TryWriteBytes(bytes, out int written))
        {
            return null;
        }

        if (ip.AddressFamily == AddressFamily.InterNetwork && written == 4)
        {
            bytes[3] = 0;
            return new IPAddress(bytes[..4]) + "/24";
        }

        if (ip.AddressFamily == AddressFamily.InterNetworkV6 && written == 16)
        {
            bytes[6..16].Clear();
            return new IPAddress(bytes[..16]) + "/48";
        }

        return null;
    }
}
