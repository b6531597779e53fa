using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionGate.Keys;
using SessionGate.Protocol;
using SessionGate.Verification;

namespace SessionGate.AspNetCore.Admin;

/// <summary><c>/admin/keys…</c>: grant, get, list by account, disable (permanent), is-disabled, validate (dry run).</summary>
internal sealed class KeyEndpoints(AdminServices services, ILogger logger)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public async Task GrantAsync(HttpContext context, string[] values)
    {
        JsonBody body = (await AdminBody.ReadAsync(context, required: true).ConfigureAwait(false))!;
        DateTimeOffset now = services.Time.GetUtcNow();
        SignerKeyRecord record = GrantRequest.Parse(body, services.Options.AddressPrefix, now);
        KeyRegistrationResult result = await services.Directory.RegisterAsync(record, context.RequestAborted).ConfigureAwait(false);
        switch (result)
        {
            case KeyRegistrationResult.OwnedByAnotherAccount:
                throw new AdminProblemException(409, AdminProblemCodes.KeyOwnedByAnotherAccount, "This key is registered to another account (one key, one account).");
            case KeyRegistrationResult.KeyDisabled:
                throw new AdminProblemException(409, AdminProblemCodes.KeyDisabled, "This key was disabled, which is permanent: issue a new key.");
        }

        Log.Change(logger, $"{(result == KeyRegistrationResult.Registered ? "granted" : "updated")} key {SignerKeyRules.ShortForm(record.PublicKey)} for {record.Account}");
        SignerKeyRecord stored = await services.Directory.FindAsync(record.PublicKey, context.RequestAborted).ConfigureAwait(false)
            ?? SignerKeyRules.ForRegistration(record, now);
        if (result == KeyRegistrationResult.Registered)
        {
            context.Response.Headers.Location = context.Request.PathBase + "/admin/keys/" + stored.PublicKey.ToHex();
        }

        await AdminResponses.WriteJsonAsync(context, result == KeyRegistrationResult.Registered ? 201 : 200, w => KeyRecordJson.Write(w, stored, now)).ConfigureAwait(false);
    }

    public async Task GetAsync(HttpContext context, string[] values)
    {
        SignerKeyRecord record = await FindAsync(context, values[0]).ConfigureAwait(false) ?? throw AdminProblemException.KeyNotFound();
        await AdminResponses.WriteJsonAsync(context, 200, w => KeyRecordJson.Write(w, record, services.Time.GetUtcNow())).ConfigureAwait(false);
    }

    public async Task ListAsync(HttpContext context, string[] values)
    {
        var errors = new ValidationErrors();
        string account = "";
        if (values[0].Length > 128 || !AccountAddress.TryNormalize(values[0], services.Options.AddressPrefix, out account))
        {
            errors.Add("account", AdminInput.AccountMessage(services.Options.AddressPrefix));
        }

        int offset = AdminInput.QueryInt(context.Request.Query, "offset", 0, 0, int.MaxValue - MaxPageSize - 1, errors);
        int limit = AdminInput.QueryInt(context.Request.Query, "limit", DefaultPageSize, 1, MaxPageSize, errors);
        errors.ThrowIfAny();

        // One more than the page tells whether there is a next page.
        IReadOnlyList<SignerKeyRecord> page = await services.Directory.ListByAccountAsync(account, offset, limit + 1, context.RequestAborted).ConfigureAwait(false);
        DateTimeOffset now = services.Time.GetUtcNow();
        await AdminResponses.WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("account", account);
            w.WriteNumber("offset", offset);
            w.WriteNumber("limit", limit);
            w.WriteStartArray("items");
            foreach (SignerKeyRecord record in page.Take(limit))
            {
                KeyRecordJson.Write(w, record, now);
            }

            w.WriteEndArray();
            if (page.Count > limit)
            {
                w.WriteNumber("nextOffset", offset + limit);
            }
            else
            {
                w.WriteNull("nextOffset");
            }

            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    public async Task DisableAsync(HttpContext context, string[] values)
    {
        Bytes32 publicKey = AdminInput.PublicKey(values[0]);
        KeyChangeResult result = await services.Directory.DisableAsync(publicKey, context.RequestAborted).ConfigureAwait(false);
        if (result == KeyChangeResult.NotFound)
        {
            throw AdminProblemException.KeyNotFound();
        }

        if (result == KeyChangeResult.Changed)
        {
            Log.Change(logger, $"disabled key {SignerKeyRules.ShortForm(publicKey)}");
        }

        SignerKeyRecord record = await services.Directory.FindAsync(publicKey, context.RequestAborted).ConfigureAwait(false) ?? throw AdminProblemException.KeyNotFound();
        await AdminResponses.WriteJsonAsync(context, 200, w => KeyRecordJson.Write(w, record, services.Time.GetUtcNow())).ConfigureAwait(false);
    }

    public async Task IsDisabledAsync(HttpContext context, string[] values)
    {
        Bytes32 publicKey = AdminInput.PublicKey(values[0]);
        SignerKeyRecord? record = await services.Directory.FindAsync(publicKey, context.RequestAborted).ConfigureAwait(false);
        await AdminResponses.WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("publicKey", publicKey.ToHex());
            w.WriteBoolean("registered", record is not null);
            w.WriteBoolean("disabled", record?.Disabled ?? false);
            if (record?.DisabledAt is { } at)
            {
                w.WriteString("disabledAt", AdminResponses.Time(at));
            }
            else
            {
                w.WriteNull("disabledAt");
            }

            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    public async Task ValidateAsync(HttpContext context, string[] values)
    {
        Bytes32 publicKey = AdminInput.PublicKey(values[0]);
        JsonBody? body = await AdminBody.ReadAsync(context, required: false).ConfigureAwait(false);
        (string path, string method, long cost) = ValidateRequest.Parse(body);
        SignerKeyRecord record = await services.Directory.FindAsync(publicKey, context.RequestAborted).ConfigureAwait(false) ?? throw AdminProblemException.KeyNotFound();
        DateTimeOffset now = services.Time.GetUtcNow();
        AccountState state = await AccountState.LoadAsync(services, record.Account, context.RequestAborted).ConfigureAwait(false);

        // The order a real request meets them: directory checks, then scopes, then the limiter.
        string? code = record.Disabled ? "key_disabled"
            : now >= record.Expires ? "key_expired"
            : !ScopeCheck.Allows(record.Scopes, path, method, cost) ? "scope_denied"
            : state.RefusalFor(cost);

        await AdminResponses.WriteJsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("allowed", code is null);
            w.WriteString("code", code);
            w.WriteString("publicKey", record.PublicKey.ToHex());
            w.WriteString("account", record.Account);
            w.WriteString("path", path);
            w.WriteString("method", method);
            w.WriteNumber("cost", cost);
            state.WriteTier(w);
            state.WriteBudgets(w);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private ValueTask<SignerKeyRecord?> FindAsync(HttpContext context, string segment) =>
        services.Directory.FindAsync(AdminInput.PublicKey(segment), context.RequestAborted);
}
