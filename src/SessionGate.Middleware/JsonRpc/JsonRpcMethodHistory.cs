using Microsoft.AspNetCore.Http;
using SessionGate.AspNetCore.RateLimiting;
using SessionGate.JsonRpc;
using SessionGate.Usage;

namespace SessionGate.AspNetCore.JsonRpc;

/// <summary>
/// Feeds the quota history's JSON-RPC method top list (<see cref="IUsageHistory.RecordMethodCall"/>)
/// once the rate limiter has decided a metered body: every call of it, under the cost entry that
/// priced it (<see cref="JsonRpcCall.HistoryName"/>: configured names only, so a client sending a
/// million distinct method names adds no name to the history), with its cost when served.
/// </summary>
/// <remarks>
/// The request itself is counted once by the limiter (<see cref="IUsageHistory.Record"/>); this counts
/// its calls the same way: refused when the limiter refused the request (it wrote the refusal through
/// <see cref="JsonRpcRequestFeature"/>, 429 or 503), would-be refused when a shadow-mode partition
/// served what its limits refused. ASP.NET Core's limiter keeps a granted lease to itself, so a served
/// request reads its partition's latest decision (<see cref="RateLimitOutcomes"/>, what the RateLimit
/// headers report too): with concurrent requests of one account in shadow mode a call may be counted
/// with a neighbour's decision. A request the limiter never decided (no SessionGate policy on the
/// route, no decision recorded) is not counted, as it is not in the request figures either.
/// </remarks>
internal sealed class JsonRpcMethodHistory(IUsageHistory history, RateLimitOutcomes outcomes)
{
    public void Record(HttpContext context, JsonRpcRequestFeature feature)
    {
        if (context.Features.Get<ISessionGateRateLimitFeature>() is not RateLimitResponse limited)
        {
            return;
        }

        bool refused = feature.RefusedByLimiter;
        bool wouldBeRefused = false;
        if (!refused)
        {
            if (!outcomes.TryGet(limited.Partition.Key, out RateLimitOutcome outcome))
            {
                return;
            }

            wouldBeRefused = !outcome.Decision.Allowed && limited.Partition.Policy.Shadow;
        }

        bool charged = !refused && !wouldBeRefused;
        IReadOnlyList<JsonRpcCall> calls = feature.Body.Calls;
        for (int i = 0; i < calls.Count; i++)
        {
            JsonRpcCall call = calls[i];
            history.RecordMethodCall(call.HistoryName ?? JsonRpcMethodTable.DefaultCostHistoryName, charged ? call.Cost : 0, refused, wouldBeRefused);
        }
    }
}
