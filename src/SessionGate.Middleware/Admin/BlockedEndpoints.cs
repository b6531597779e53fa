using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionGate.Verification;
using SessionGate.Diagnostics;

namespace SessionGate.AspNetCore.Admin;

/// <summary><c>/admin/blocked</c>: clients blocked for repeated authentication failures (KIP_9.1), and lifting a block.</summary>
internal sealed class BlockedEndpoints(AdminServices services, ILogger logger)
{
    private const int MaxClientLength = 128;

    public async Task ListAsync(HttpContext context, string[] values)
    {
        IReadOnlyList<BlockedClient> blocked = await services.Blocker.ListBlockedAsync(context.RequestAborted).ConfigureAwait(false);
        await AdminResponses.WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("items");
            foreach (BlockedClient client in blocked.OrderBy(b => b.Client, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("client", client.Client);
                w.WriteNumber("remainingSeconds", AdminResponses.Seconds(client.Remaining));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    public async Task UnblockAsync(HttpContext context, string[] values)
    {
        string client = values[0];
        if (client.Length > MaxClientLength || client.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            throw ValidationErrors.Single("client", $"must be a client address (at most {MaxClientLength} printable ASCII characters)");
        }

        if (!await services.Blocker.UnblockAsync(client, context.RequestAborted).ConfigureAwait(false))
        {
            throw new AdminProblemException(404, AdminProblemCodes.ClientNotBlocked, "This client is not blocked.");
        }

        Log.Change(logger, $"unblocked client {LogValue.Escape(client)}");
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.Headers.CacheControl = "no-store";
    }
}
