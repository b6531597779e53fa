using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// One HTTP/1.1 GET on a fresh connection from a chosen loopback source address, read to the end of
/// the headers: the cheapest way to be 200,000 distinct clients (an HttpClient per address costs far
/// more than the request). Only the status line is parsed.
/// </summary>
internal static class RawHttp
{
    public static async Task<int> GetStatusAsync(IPAddress source, Uri gateway, string path, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, gateway.Port), cancellationToken).ConfigureAwait(false);
        byte[] request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {gateway.Authority}\r\nConnection: close\r\n\r\n");
        await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);

        byte[] buffer = new byte[4096];
        int read = 0;
        while (read < 12)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return -1;
            }

            read += n;
        }

        // "HTTP/1.1 200 OK": the status is characters 9-11. The rest is drained by closing.
        return int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), CultureInfo.InvariantCulture);
    }
}
