using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace SessionGate.Benchmarks.Pipeline;

/// <summary>
/// An <see cref="IServer"/> that listens nowhere: it keeps the application the host hands it, so a
/// benchmark can run requests through the app's whole middleware pipeline exactly as Kestrel would
/// (HostingApplication's context, scope and diagnostics included), minus the sockets and HTTP parsing.
/// </summary>
internal sealed class CapturingServer : IServer
{
    private Func<IFeatureCollection, Task<int>>? _send;

    public IFeatureCollection Features { get; } = CreateFeatures();

    /// <summary>Runs one request (its features) through the application; the status code it answered.</summary>
    public Task<int> SendAsync(IFeatureCollection request) =>
        (_send ?? throw new InvalidOperationException("The host has not started.")).Invoke(request);

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _send = async features =>
        {
            TContext context = application.CreateContext(features);
            Exception? failure = null;
            try
            {
                await application.ProcessRequestAsync(context).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = e;
                throw;
            }
            finally
            {
                application.DisposeContext(context, failure);
            }

            return features.GetRequiredFeature<IHttpResponseFeature>().StatusCode;
        };
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }

    private static FeatureCollection CreateFeatures()
    {
        var features = new FeatureCollection();
        features.Set<IServerAddressesFeature>(new ServerAddressesFeature());
        return features;
    }
}
