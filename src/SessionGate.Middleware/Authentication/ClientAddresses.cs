using System.Net;
using Microsoft.AspNetCore.Http;

namespace SessionGate.AspNetCore.Authentication;

/// <summary>The client's address as text, the key of IP blocking and of anonymous rate-limit partitions.</summary>
internal static class ClientAddresses
{
    /// <summary>The remote address (IPv4-mapped IPv6 shown as IPv4), or <c>unknown</c>.</summary>
    public static string Of(HttpContext context)
    {
        IPAddress? address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
