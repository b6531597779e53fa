using Microsoft.Extensions.Options;
using SessionGate.AspNetCore.Configuration;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace SessionGate.Proxy.Gateway.Identity;

/// <summary>Adds <see cref="IdentityRequestTransform"/> to every YARP route, whatever its own transforms.</summary>
internal sealed class IdentityTransformProvider : ITransformProvider
{
    private readonly IdentityRequestTransform _transform;

    public IdentityTransformProvider(IOptions<GatewayProxyOptions> proxy, IOptions<SessionGateOptions> sessionGate) =>
        _transform = new IdentityRequestTransform(
            proxy.Value.StripSessionHeader ? sessionGate.Value.HeaderName : null,
            proxy.Value.EffectiveStripRequestHeaders);

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Last, after the route's own transforms, so no configured transform can re-add an owned header.
        context.RequestTransforms.Add(_transform);
    }
}
