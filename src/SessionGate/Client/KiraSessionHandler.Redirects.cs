namespace SessionGate.Client;

public sealed partial class KiraSessionHandler
{
    // Set once the inner handler has been checked (its automatic redirects switched off).
    private volatile bool _innerChecked;
    private readonly Lock _innerCheckLock = new();

    /// <summary>
    /// Sends <paramref name="request"/> and follows redirects here rather than in the inner handler, so
    /// every hop decides afresh whether it gets the header: only a hop to the gateway's own origin does.
    /// An inner handler that followed redirects itself would copy the header to whatever host a
    /// <c>Location</c> names — a captured header is a bearer token for up to five minutes.
    /// </summary>
    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        EnsureInnerDoesNotRedirect();
        HttpResponseMessage response = await SendHopAsync(request, cancellationToken).ConfigureAwait(false);
        for (int hop = 0; hop < _options.MaxRedirects && NextHop(request, response) is { } next; hop++)
        {
            // The hop requests are not disposed: a 307/308 hop shares the caller's body, which the caller owns.
            response.Dispose();
            request = next;
            response = await SendHopAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>One hop: with a header for the gateway's origin, without one anywhere else.</summary>
    private async Task<HttpResponseMessage> SendHopAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!IsForGateway(request.RequestUri))
        {
            request.Headers.Remove(_options.HeaderName);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return await SendSignedAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The request a redirect answer asks for, or null when <paramref name="response"/> is not a
    /// redirect to follow. The rules are those of .NET's own redirect handler: 301/302 turn POST into
    /// GET, 303 turns anything but HEAD into GET (both drop the body), 307/308 keep method and body;
    /// an https → http downgrade is not followed; <c>Authorization</c> is never carried over. The
    /// session header is never copied: <see cref="SendHopAsync"/> adds a fresh one for the gateway only.
    /// </summary>
    private HttpRequestMessage? NextHop(HttpRequestMessage request, HttpResponseMessage response)
    {
        int status = (int)response.StatusCode;
        if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location || request.RequestUri is not { } from)
        {
            return null;
        }

        Uri target = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        if (from.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp)
        {
            return null;
        }

        bool toGet = (status is 301 or 302 && request.Method == HttpMethod.Post) || (status == 303 && request.Method != HttpMethod.Head);
        var next = new HttpRequestMessage(toGet ? HttpMethod.Get : request.Method, target)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
            Content = toGet ? null : request.Content,
        };
        foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers)
        {
            if (!header.Key.Equals(_options.HeaderName, StringComparison.OrdinalIgnoreCase)
                && !header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
                && !header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        foreach (KeyValuePair<string, object?> option in request.Options)
        {
            ((IDictionary<string, object?>)next.Options)[option.Key] = option.Value;
        }

        return next;
    }

    /// <summary>
    /// Switches off automatic redirects of the innermost handler (before its first request: it refuses
    /// the change afterwards) so that no redirect is followed behind this handler's back.
    /// </summary>
    /// <exception cref="InvalidOperationException">The inner handler already sent requests with automatic redirects on.</exception>
    private void EnsureInnerDoesNotRedirect()
    {
        if (_innerChecked)
        {
            return;
        }

        lock (_innerCheckLock)
        {
            if (_innerChecked)
            {
                return;
            }

            HttpMessageHandler? inner = InnerHandler;
            while (inner is DelegatingHandler delegating)
            {
                inner = delegating.InnerHandler;
            }

            try
            {
                switch (inner)
                {
                    case SocketsHttpHandler { AllowAutoRedirect: true } sockets:
                        sockets.AllowAutoRedirect = false;
                        break;
                    case HttpClientHandler { AllowAutoRedirect: true } client:
                        client.AllowAutoRedirect = false;
                        break;
                }
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException(
                    "KiraSessionHandler follows redirects itself so that the session header never reaches another host, but its inner handler "
                    + "has already sent requests with AllowAutoRedirect on. Create the inner handler with AllowAutoRedirect = false.", e);
            }

            _innerChecked = true;
        }
    }
}
