using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace SessionGate.AspNetCore.Configuration;

/// <summary>
/// Whether a request may reach the admin API, the dashboard or the demo page
/// (<see cref="AdminOptions.Urls"/>, <see cref="AdminOptions.ServeOnPublicPort"/>): with admin listeners,
/// only requests that arrived on one of their ports; without, every request or none.
/// </summary>
internal static partial class AdminListener
{
    /// <summary>True when <paramref name="context"/> may be answered by an admin surface.</summary>
    public static bool Serves(HttpContext context, AdminOptions admin)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(admin);
        return admin.Urls is null ? admin.ServeOnPublicPort : IsAdminListener(context, admin);
    }

    /// <summary>True when <paramref name="context"/> arrived on one of the admin listeners.</summary>
    public static bool IsAdminListener(HttpContext context, AdminOptions admin) =>
        admin.Urls is { } urls && TryParsePorts(urls, out IReadOnlyList<int> ports) && ports.Contains(context.Connection.LocalPort);

    /// <summary>
    /// The ports of <c>scheme://host:port</c> entries separated by <c>;</c> (host may be <c>*</c>,
    /// <c>+</c>, a name, an IPv4 or a bracketed IPv6 address; the port is required and not 0).
    /// </summary>
    public static bool TryParsePorts(string urls, out IReadOnlyList<int> ports)
    {
        var found = new List<int>();
        ports = found;
        string[] entries = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length == 0)
        {
            return false;
        }

        foreach (string entry in entries)
        {
            Match match = UrlPattern().Match(entry);
            if (!match.Success || !int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                return false;
            }

            found.Add(port);
        }

        return true;
    }

    [GeneratedRegex(@"^https?://(\[[0-9A-Fa-f:.]+\]|[^/:\[\]\s]+):(?<port>[0-9]{1,5})/?$", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();
}
