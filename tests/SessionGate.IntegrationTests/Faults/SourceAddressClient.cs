using System.Net;
using System.Net.Sockets;

namespace SessionGate.IntegrationTests.Faults;

/// <summary>
/// An HttpClient whose connections come from one chosen loopback address. Linux routes all of
/// 127.0.0.0/8 to the loopback interface, so binding the client socket to 127.x.y.z before connecting
/// makes the gateway see that address as the client (<c>HttpContext.Connection.RemoteIpAddress</c>):
/// many distinct clients without any proxy header (the gateway does not honour X-Forwarded-For).
/// </summary>
internal static class SourceAddressClient
{
    /// <summary>Distinct loopback address number <paramref name="n"/> (0 … 16,000,000): 127.a.b.c with c in 1…254.</summary>
    public static IPAddress Address(int n)
    {
        int c = 1 + (n % 254);
        int b = (n / 254) % 256;
        int a = 1 + (n / 254 / 256);
        return new IPAddress([127, (byte)a, (byte)b, (byte)c]);
    }

    /// <param name="source">The loopback address to connect from.</param>
    /// <param name="gateway">The gateway's base address.</param>
    /// <param name="headerEncoding">How header values go on the wire (Latin-1 sends fuzz bytes as they are); default ASCII.</param>
    public static HttpClient Create(IPAddress source, Uri gateway, System.Text.Encoding? headerEncoding = null) =>
        new(CreateHandler(source, headerEncoding))
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>The handler behind <see cref="Create"/>, to put under another handler (e.g. the session signer).</summary>
    public static SocketsHttpHandler CreateHandler(IPAddress source, System.Text.Encoding? headerEncoding = null) =>
        new()
        {
            RequestHeaderEncodingSelector = headerEncoding is null ? null : (_, _) => headerEncoding,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
}
