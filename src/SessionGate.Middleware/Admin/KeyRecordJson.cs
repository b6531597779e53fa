using System.Text.Json;
using SessionGate.Keys;

namespace SessionGate.AspNetCore.Admin;

/// <summary>The key record as the admin API returns it (docs/admin-api.md, "Key record").</summary>
internal static class KeyRecordJson
{
    public static void Write(Utf8JsonWriter writer, SignerKeyRecord record, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteString("publicKey", record.PublicKey.ToHex());
        writer.WriteString("account", record.Account);
        writer.WriteString("keyType", record.KeyType);
        writer.WriteString("useCase", record.UseCase);
        WriteScopes(writer, record.Scopes, "maxCost");
        writer.WriteString("origin", KeyOrigins.Name(record.Origin));
        writer.WriteString("created", AdminResponses.Time(record.Created));
        writer.WriteString("expires", AdminResponses.Time(record.Expires));
        writer.WriteBoolean("expired", now >= record.Expires);
        writer.WriteBoolean("disabled", record.Disabled);
        if (record.DisabledAt is { } disabledAt)
        {
            writer.WriteString("disabledAt", AdminResponses.Time(disabledAt));
        }
        else
        {
            writer.WriteNull("disabledAt");
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The <c>scopes</c> member of a key record (the same in the admin API and the grant endpoints,
    /// which differ only in the spelling of the maximum cost: <paramref name="maxCostName"/>,
    /// <c>maxCost</c> in the admin API's camelCase, <c>max_cost</c> in the grant endpoints' snake_case;
    /// null when the scope allows any cost).
    /// </summary>
    public static void WriteScopes(Utf8JsonWriter writer, IReadOnlyList<KeyScope> scopes, string maxCostName)
    {
        writer.WriteStartArray("scopes");
        foreach (KeyScope scope in scopes)
        {
            writer.WriteStartObject();
            writer.WriteString("path", scope.Path);
            writer.WriteStartArray("methods");
            foreach (string method in scope.Methods)
            {
                writer.WriteStringValue(method);
            }

            writer.WriteEndArray();
            if (scope.MaxCost is { } maxCost)
            {
                writer.WriteNumber(maxCostName, maxCost);
            }
            else
            {
                writer.WriteNull(maxCostName);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
