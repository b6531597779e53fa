using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;

namespace SessionGate.Proxy.Gateway.Hosting;

/// <summary>
/// <c>serve</c>'s placement of the admin API, the dashboard and the demo page (issue 17 finding 7):
/// their secrets — the dashboard's admin key in sessionStorage, the demo page's key store — must not
/// share an origin with proxied upstream pages, whose scripts could read them. So, in <c>serve</c>:
/// <list type="bullet">
/// <item>with <c>SessionGate:Admin:Urls</c>, the gateway listens there too and those pages answer only
/// there; proxied routes still answer on the admin listener (the demo page calls them), but every
/// proxied answer there carries <c>Content-Security-Policy: sandbox</c>, so an upstream document
/// opened on that origin runs in an opaque origin without scripts;</item>
/// <item>without it, they are served nowhere (404), unless <c>SessionGate:Admin:ServeOnPublicPort=true</c>
/// restores the old behaviour. <c>app.UseSessionGate()</c> in an application keeps the old default.</item>
/// </list>
/// </summary>
internal static class AdminListeners
{
    private const string UrlsKey = "SessionGate:Admin:Urls";
    private const string PublicPortKey = "SessionGate:Admin:ServeOnPublicPort";

    /// <summary>What proxied answers on an admin listener carry.</summary>
    public const string SandboxPolicy = "sandbox";

    /// <summary>
    /// Sets <c>serve</c>'s default (below every other configuration source) and adds the admin
    /// listeners to the URLs Kestrel binds.
    /// </summary>
    /// <exception cref="GatewayConfigurationException">An admin URL is malformed or uses a public port.</exception>
    public static void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { [PublicPortKey] = "false" },
        });

        if (builder.Configuration[UrlsKey] is not { Length: > 0 } admin)
        {
            return;
        }

        string publicUrls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : "http://localhost:5000";
        if (!AdminListener.TryParsePorts(admin, out IReadOnlyList<int> adminPorts))
        {
            // Reported with every other problem by the options validator.
            return;
        }

        AdminListener.TryParsePorts(publicUrls, out IReadOnlyList<int> publicPorts);
        if (adminPorts.Intersect(publicPorts).Any())
        {
            throw new GatewayConfigurationException([$"{UrlsKey} must use ports the public URLs ({publicUrls}) do not: the admin pages must not share an origin with proxied routes."]);
        }

        builder.WebHost.UseUrls(publicUrls + ";" + admin);
    }

    /// <summary>Sandboxes every proxied answer sent on an admin listener.</summary>
    public static void UseSandboxOnAdminListeners(IReverseProxyApplicationBuilder proxy)
    {
        AdminOptions admin = proxy.ApplicationServices.GetRequiredService<IOptions<SessionGateOptions>>().Value.Admin;
        if (admin.Urls is null)
        {
            return;
        }

        proxy.Use((context, next) =>
        {
            if (AdminListener.IsAdminListener(context, admin))
            {
                // After YARP copied the upstream's headers, so the upstream cannot replace it.
                context.Response.OnStarting(static state =>
                {
                    ((HttpResponse)state).Headers.ContentSecurityPolicy = SandboxPolicy;
                    return Task.CompletedTask;
                }, context.Response);
            }

            return next();
        });
    }

    /// <summary>Warns when the admin API is configured but served on no port.</summary>
    public static void WarnIfUnreachable(IServiceProvider services, ILogger logger)
    {
        AdminOptions admin = services.GetRequiredService<IOptions<SessionGateOptions>>().Value.Admin;
        if (admin.Enabled && admin.Urls is null && !admin.ServeOnPublicPort)
        {
            Log.AdminServedNowhere(logger);
        }
    }
}
