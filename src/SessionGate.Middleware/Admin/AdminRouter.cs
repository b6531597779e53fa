using Microsoft.AspNetCore.Http;

namespace SessionGate.AspNetCore.Admin;

/// <summary>Handles one admin route; <paramref name="values"/> are the route's parameters in template order.</summary>
internal delegate Task AdminHandler(HttpContext context, string[] values);

/// <summary>An admin route: method, template such as <c>/admin/keys/{publicKey}</c>, handler.</summary>
internal sealed record AdminRoute(string Method, string Template, AdminHandler Handler)
{
    public string[] Segments { get; } = Template.Trim('/').Split('/');
}

/// <summary>
/// A small hand-rolled router over a fixed table, deliberately not ASP.NET endpoint routing: admin
/// routes must never appear in the application's EndpointDataSource, the <c>/methods</c> document or
/// YARP's routes. Literal segments match ordinally; <c>{name}</c> matches any one non-empty segment.
/// </summary>
internal sealed class AdminRouter
{
    private readonly AdminRoute[] _routes;

    public AdminRouter(IEnumerable<AdminRoute> routes) => _routes = [.. routes];

    public IReadOnlyList<AdminRoute> Routes => _routes;

    /// <summary>Finds the route of <paramref name="path"/> and <paramref name="method"/>.</summary>
    /// <returns>The match; or null with <paramref name="allowed"/> listing the methods of the path (empty: unknown path).</returns>
    public AdminRoute? Match(string path, string method, out string[] values, out IReadOnlyList<string> allowed)
    {
        values = [];
        var methods = new List<string>();
        allowed = methods;
        if (path.Length < 2 || path[0] != '/')
        {
            return null;
        }

        string[] segments = path[1..].Split('/');
        foreach (AdminRoute route in _routes)
        {
            if (!TryBind(route.Segments, segments, out string[] bound))
            {
                continue;
            }

            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                values = bound;
                return route;
            }

            methods.Add(route.Method);
        }

        return null;
    }

    private static bool TryBind(string[] template, string[] segments, out string[] values)
    {
        values = [];
        if (template.Length != segments.Length)
        {
            return false;
        }

        var bound = new List<string>();
        for (int i = 0; i < template.Length; i++)
        {
            if (segments[i].Length == 0)
            {
                return false;
            }

            if (template[i].StartsWith('{'))
            {
                bound.Add(segments[i]);
            }
            else if (!string.Equals(template[i], segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        values = [.. bound];
        return true;
    }
}
