using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>
/// The client's key: the connection's address as text, the key of IP blocking, of the verification
/// budget and of anonymous rate-limit partitions. An IPv6 client is keyed by its network prefix
/// (<see cref="ClientAddressOptions.Ipv6PrefixLength"/>, default /64), written as the masked address
/// (<c>2001:db8:1:2::</c>): one host holds a whole /64, so per-address keys would let it invent
/// 2^64 clients, each with a fresh budget, quota and failure count.
/// </summary>
internal static class ClientAddresses
{
    /// <summary>The client key of <paramref name="context"/>'s connection (IPv4-mapped IPv6 shown as IPv4), or <c>unknown</c>.</summary>
    public static string Of(HttpContext context)
    {
        IPAddress? address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        int prefixLength = context.RequestServices?.GetService<ClientAddressOptions>()?.Ipv6PrefixLength ?? ClientAddressOptions.DefaultIpv6PrefixLength;
        return KeyOf(address, prefixLength);
    }

    /// <summary>The client key of <paramref name="address"/>: IPv4 as is, IPv6 masked to <paramref name="ipv6PrefixLength"/> bits.</summary>
    public static string KeyOf(IPAddress address, int ipv6PrefixLength)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || ipv6PrefixLength >= 128)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        for (int bit = Math.Max(0, ipv6PrefixLength); bit < 128; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        // The scope id (fe80::1%eth0) is dropped with the host bits: it names our interface, not the client.
        return new IPAddress(bytes).ToString();
    }
}

/// <summary>The <c>SessionGate:ClientAddresses</c> section: how client addresses become client keys.</summary>
public sealed class ClientAddressOptions
{
    /// <summary>The default <see cref="Ipv6PrefixLength"/>: /64, the smallest network routinely given to one host or home.</summary>
    public const int DefaultIpv6PrefixLength = 64;

    /// <summary>
    /// Leading bits of an IPv6 address that make one client, for blocking, the verification budget
    /// and anonymous limits alike; 32 – 128 (128: every address on its own). Default 64.
    /// </summary>
    public int Ipv6PrefixLength { get; set; } = DefaultIpv6PrefixLength;
}
